import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import os from 'node:os';
import { workersFromEnv } from './cluster';
import { ClusterGateway, startClusterGateway } from './cluster-fixture';

let cluster: ClusterGateway;

async function ask(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ temperature }"}' });
  return (await response.json()) as { data?: unknown };
}

let port = 0;

beforeAll(async () => {
  cluster = await startClusterGateway({ METRICS: 'on' });
});

afterAll(() => cluster.stop());

test('GATEWAY_WORKERS: a number, auto, or refused with the reason', () => {
  assert.equal(workersFromEnv({}), 1);
  assert.equal(workersFromEnv({ GATEWAY_WORKERS: '3' }), 3);
  assert.equal(workersFromEnv({ GATEWAY_WORKERS: 'auto' }), os.availableParallelism());
  for (const bad of ['0', 'two', '1.5']) assert.throws(() => workersFromEnv({ GATEWAY_WORKERS: bad }), /GATEWAY_WORKERS must be/);
});

test('two workers share the port, /metrics counts both, a dead worker is replaced, SIGTERM stops all', async () => {
  const { lines, primary, waitForLine } = cluster;
  await waitForLine((l) => l.msg === 'gateway ready');
  await waitForLine((l) => l.msg === 'gateway ready' && l.pid !== lines.find((x) => x.msg === 'gateway ready')!.pid);
  const ready = lines.filter((l) => l.msg === 'gateway ready');
  const workers = new Set(ready.map((l) => l.pid));
  assert.equal(workers.size, 2);
  port = Number(new URL(ready[0].url).port);
  assert.equal(Number(new URL(ready[1].url).port), port, 'one port');

  for (let i = 0; i < 20; i++) assert.deepEqual((await ask(port)).data, { temperature: 31 });
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const counted = metrics.split('\n').filter((l) => l.startsWith('onestop_graphql_requests_total{')).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  assert.equal(counted, 20, 'the metrics of both workers, summed');

  const victim = [...workers][0];
  const seen = lines.length;
  process.kill(victim, 'SIGKILL');
  const replacement = await waitForLine((l) => l.msg === 'gateway ready' && !workers.has(l.pid), seen);
  assert.ok(lines.slice(seen).some((l) => l.msg === 'gateway worker died; starting another' && l.pid === victim));
  for (let i = 0; i < 10; i++) assert.deepEqual((await ask(port)).data, { temperature: 31 }, 'still serving');

  const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
  primary.kill('SIGTERM');
  assert.equal(await exited, 0);
  for (const pid of [[...workers][1], replacement.pid]) assert.throws(() => process.kill(pid, 0), 'worker gone');
});
