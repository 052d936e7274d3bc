import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, entryLog, logLevelFromEnv, setTraceFields } from './logger';

/** A destination that keeps each JSON line, parsed and raw. */
function lines() {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, raw, parsed: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

test('one JSON line per event with level name, ISO time, service, pid; below the level nothing', () => {
  const out = lines();
  const log = createLogger('land', { level: 'info', destination: out.stream });
  log.info({ requestId: 'r-1' }, 'hello');
  log.debug('not shown');
  const [line] = out.parsed();
  assert.equal(out.raw.length, 1);
  assert.equal(line.level, 'info');
  assert.equal(line.service, 'land');
  assert.equal(line.pid, process.pid);
  assert.equal(line.msg, 'hello');
  assert.equal(line.requestId, 'r-1');
  assert.ok(!Number.isNaN(Date.parse(String(line.time))) && String(line.time).endsWith('Z'), `time ${line.time}`);
});

test('entryLog keeps the entry\'s order (msg before the request id), maps level, drops a repeated service', () => {
  const out = lines();
  const log = entryLog(createLogger('gateway', { level: 'info', destination: out.stream }));
  log({ level: 'warn', msg: 'access denied', service: 'gateway', requestId: 'sec-token-expired', reason: 'expired' });
  log({ level: 'debug', msg: 'below the level' });
  log({ msg: 'no level is info', service: 'other-service' });
  assert.equal(out.raw.length, 2);
  assert.match(out.raw[0], /"level":"warn".*access denied.*sec-token-expired/);
  assert.equal(out.raw[0].match(/"service"/g)?.length, 1, 'service appears once');
  const [, second] = out.parsed();
  assert.equal(second.level, 'info');
  assert.equal(second.source, 'other-service');
  assert.equal(second.service, 'gateway');
});

test('trace ids are added to every line while a provider is set, and lines do not leak fields into each other', () => {
  const out = lines();
  const log = createLogger('tax', { level: 'info', destination: out.stream });
  log.info({ a: 1 }, 'first');
  setTraceFields(() => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }));
  try {
    log.info({ b: 2 }, 'traced');
  } finally {
    setTraceFields(undefined);
  }
  log.info({ c: 3 }, 'after');
  const [first, traced, after] = out.parsed();
  assert.equal(first.traceId, undefined);
  assert.equal(traced.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(traced.b, 2);
  assert.equal(after.traceId, undefined);
  assert.equal(after.a, undefined, 'a field of an earlier line leaked');
  assert.equal(after.b, undefined, 'a field of an earlier line leaked');
});

test('LOG_LEVEL: default info (warn under NODE_ENV=test), case-insensitive, a typo is refused', () => {
  assert.equal(logLevelFromEnv({}), 'info');
  assert.equal(logLevelFromEnv({ NODE_ENV: 'test' }), 'warn');
  assert.equal(logLevelFromEnv({ NODE_ENV: 'test', LOG_LEVEL: 'info' }), 'info');
  assert.equal(logLevelFromEnv({ LOG_LEVEL: ' DEBUG ' }), 'debug');
  assert.equal(logLevelFromEnv({ LOG_LEVEL: 'silent' }), 'silent');
  assert.throws(() => logLevelFromEnv({ LOG_LEVEL: 'verbose' }), /LOG_LEVEL must be one of/);
});
