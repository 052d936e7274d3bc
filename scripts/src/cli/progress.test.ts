import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { progressBar, ProgressStream } from './progress';

/** A stream that keeps what is written to it; a terminal (isTTY, 120 columns) or not. */
function capture(tty: boolean): { stream: ProgressStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(chunk.toString()); done(); } }) as Writable & ProgressStream;
  if (tty) Object.assign(stream, { isTTY: true, columns: 120 });
  return { stream, text: () => chunks.join('') };
}

describe('progressBar', () => {
  test('not a terminal: nothing while it runs, then one summary line, no carriage return', () => {
    const { stream, text } = capture(false);
    const bar = progressBar('Seeding demo data', 12_000, { stream, unit: 'rows' });
    bar.increment(500, 'civil-status: Citizen');
    bar.increment();
    bar.update(12_000, 'tax: TaxObligation');
    assert.equal(text(), '', 'nothing before stop()');
    bar.stop();
    bar.stop();
    assert.match(text(), /^Seeding demo data: 12,000\/12,000 rows in \d+\.\d s\n$/);
    assert.ok(!text().includes('\r'));
    assert.ok(!text().includes('\x1b'), 'no terminal escapes');
  });

  test('not a terminal, stopped short: the line says how far it got', () => {
    const { stream, text } = capture(false);
    const bar = progressBar('Runs', 8, { stream });
    bar.increment(3);
    bar.stop();
    assert.match(text(), /^Runs: 3\/8 in \d+\.\d s\n$/);
  });

  test('a terminal: a bar redrawn in place, left at its last state on its own line', () => {
    const { stream, text } = capture(true);
    const bar = progressBar('Seeding demo data', 10_000, { stream, unit: 'rows' });
    assert.match(text(), /Seeding demo data \[░{20}\] 0% 0\/10,000 rows/, 'drawn at start');
    bar.update(5_000, 'land: Parcel');
    bar.update(10_000, 'tax: TaxObligation');
    bar.stop();
    bar.stop();
    const out = text();
    assert.match(out, /Seeding demo data \[█{20}\] 100% 10,000\/10,000 rows, ETA 0s \| tax: TaxObligation/, 'the last state');
    assert.match(out, /\x1b\[\d*G/, 'moves the cursor back to redraw (readline.cursorTo)');
    assert.ok(out.endsWith('\n'), 'ends its line');
    assert.ok(!out.includes('in 0.0 s'), 'no summary line on a terminal');
    // each drawing: back to the first column, the bar, clear the rest of the line
    const drawings = out.split('\x1b[1G').slice(1).map((drawing) => drawing.split('\x1b[0K')[0]);
    assert.ok(drawings.length >= 2, 'drawn at start and at stop');
    assert.ok(drawings.every((drawing) => drawing.length <= 120 && !drawing.includes('\n')), 'within the terminal\'s width');
  });

  test('a terminal: a line longer than the terminal is cut, not wrapped', () => {
    const { stream, text } = capture(true);
    const bar = progressBar('Runs', 2, { stream, unit: 'runs' });
    bar.update(2, `round 1, portal mix, ${'x'.repeat(200)}`);
    bar.stop();
    assert.ok(text().includes('round 1, portal mix, xxx'));
    assert.ok(!text().includes('x'.repeat(120)));
  });
});
