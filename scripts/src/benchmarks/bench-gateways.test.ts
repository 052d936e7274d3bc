import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { areaOf, canonicalJson, cpuMs, CpuProfile, firstDifference, interleave, median, mergeSummaries, processTree, rssBytes, summariseProfile } from './bench-gateways-util';

test('bench:gateways: answers compare by data, not key order', () => {
  const a = { citizen: { fullName: 'Vũ Công Khánh', dossiers: [{ code: 'x', status: 'RESOLVED' }] } };
  const b = { citizen: { dossiers: [{ status: 'RESOLVED', code: 'x' }], fullName: 'Vũ Công Khánh' } };
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(firstDifference(a, b), null);
  const c = { citizen: { fullName: 'Vũ Công Khánh', dossiers: [{ code: 'x', status: 'STOPPED' }] } };
  assert.notEqual(canonicalJson(a), canonicalJson(c));
  assert.deepEqual(firstDifference(a, c), { path: '$.citizen.dossiers[0].status', left: 'RESOLVED', right: 'STOPPED' });
  assert.deepEqual(firstDifference([1, 2], [1]), { path: '$[1]', left: 2, right: undefined });
  // list order is data: a gateway that reorders a list answers differently
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
});

test('bench:gateways: median and the request mix', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  const mix = interleave([{ weight: 3, items: ['a1', 'a2'] }, { weight: 1, items: ['b1'] }, { weight: 5, items: [] }], 4000);
  assert.equal(mix.length, 4000);
  const as = mix.filter((x) => x.startsWith('a')).length;
  assert.ok(as > 2800 && as < 3200, `about three quarters a, got ${as}`);
  // each kind cycles through its items, so consecutive requests of a kind carry different variables
  const onlyA = mix.filter((x) => x.startsWith('a'));
  assert.deepEqual(onlyA.slice(0, 4), ['a1', 'a2', 'a1', 'a2']);
  assert.deepEqual(interleave([{ weight: 1, items: [1, 2, 3] }], 5), [1, 2, 3, 1, 2]);
  assert.deepEqual(mix, interleave([{ weight: 3, items: ['a1', 'a2'] }, { weight: 1, items: ['b1'] }], 4000), 'the same order every run');
});

test('bench:gateways: this process in /proc', () => {
  assert.ok(processTree(process.pid).includes(process.pid));
  assert.ok(rssBytes([process.pid]) > 10 * 1024 * 1024);
  const before = cpuMs([process.pid]);
  let x = 0;
  for (let i = 0; i < 3e7; i++) x += i % 7;
  assert.ok(x > 0);
  assert.ok(cpuMs([process.pid]) > before);
});

test('bench:gateways: CPU profile self time, by function and by package, within a time window', () => {
  const frame = (id: number, functionName: string, url: string, children: number[] = []) =>
    ({ id, callFrame: { functionName, url, lineNumber: 9, columnNumber: 0 }, children });
  const profile: CpuProfile = {
    nodes: [
      frame(1, '(root)', '', [2, 3, 5]),
      frame(2, '(idle)', ''),
      frame(3, 'executeQueryPlan', 'file:///repo/node_modules/@apollo/gateway/dist/executeQueryPlan.js', [4]),
      frame(4, 'fetch', 'file:///repo/node_modules/undici/lib/web/fetch/index.js'),
      frame(5, 'willSendRequest', 'file:///repo/gateway/dist/subgraph-data-source.js'),
    ],
    samples: [2, 3, 4, 4, 5, 4],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
    startTime: 0,
    endTime: 6000,
  };
  const all = summariseProfile(profile, '/repo');
  assert.equal(all.totalMs, 6);
  assert.equal(all.idleMs, 1);
  assert.equal(all.frames[0].name, 'fetch undici/lib/web/fetch/index.js:10');
  assert.equal(all.frames[0].ms, 3);
  assert.equal(all.frames[0].share, 3 / 5);
  assert.deepEqual(all.areas.map((a) => a.name), ['undici', '@apollo/gateway', 'ours: gateway']);
  assert.equal(all.inclusive[0].name, 'executeQueryPlan @apollo/gateway/dist/executeQueryPlan.js:10');
  assert.equal(all.inclusive[0].ms, 4);
  // samples at 1, 2, …, 6 ms; the window keeps 3 to 5 ms
  const window = summariseProfile(profile, '/repo', 25, { fromUs: 2500, toUs: 5000 });
  assert.equal(window.totalMs, 3);
  assert.deepEqual(window.frames.map((f) => [f.name.split(' ')[0], f.ms]), [['fetch', 2], ['willSendRequest', 1]]);
  assert.equal(areaOf('/x/node_modules/graphql/execution/execute.js', 'execute'), 'graphql');
  assert.equal(areaOf('node:internal/streams/writable', 'write'), 'node (core)');
  assert.equal(areaOf('', '(garbage collector)'), '(garbage collector)');
  assert.equal(areaOf('', 'writev'), '(native)');
  assert.equal(areaOf('/repo/platform/dist/http.js', 'handle'), 'ours: platform');
});

test('bench:gateways: the subgraphs\' profiles summed as one', () => {
  const line = (name: string, ms: number) => ({ name, ms, share: 0 });
  const a = { totalMs: 10, idleMs: 4, frames: [line('f', 3), line('g', 3)], areas: [line('graphql', 6)], inclusive: [line('f', 6)] };
  const b = { totalMs: 10, idleMs: 8, frames: [line('g', 2)], areas: [line('graphql', 1), line('typeorm', 1)], inclusive: [] };
  const merged = mergeSummaries([a, b]);
  assert.equal(merged.totalMs, 20);
  assert.equal(merged.idleMs, 12);
  assert.deepEqual(merged.frames.map((f) => [f.name, f.ms]), [['g', 5], ['f', 3]]);
  assert.deepEqual(merged.areas.map((f) => [f.name, f.ms, f.share]), [['graphql', 7, 7 / 8], ['typeorm', 1, 1 / 8]]);
  assert.equal(mergeSummaries([a, b], 1).frames.length, 1);
});
