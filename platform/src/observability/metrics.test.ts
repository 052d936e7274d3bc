import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { cached, errorCodeLabel, metricsConfigFromEnv, OperationNames, ServiceMetrics } from './metrics';

test('operation names: known ones always, others until the cap, then other; no name is anonymous', () => {
  const names = new OperationNames({ known: ['Overview'], maxLearned: 2 });
  assert.equal(names.label(undefined), 'anonymous');
  assert.equal(names.label(''), 'anonymous');
  assert.equal(names.label('A'), 'A');
  assert.equal(names.label('B'), 'B');
  assert.equal(names.label('C'), 'other', 'over the cap');
  assert.equal(names.label('A'), 'A', 'a learned name stays');
  assert.equal(names.label('Overview'), 'Overview', 'known names do not count against the cap');
  assert.equal(names.label('not a "name"'), 'other');
  assert.equal(names.label('x'.repeat(101)), 'other');
});

test('a subgraph request named by the query planner counts as its client operation', () => {
  const names = new OperationNames({ maxLearned: 5 });
  assert.equal(names.label('Overview__single_window__0'), 'Overview');
  assert.equal(names.label('Overview__civil_status__12'), 'Overview');
  assert.equal(names.label('My__Op__tax__3'), 'My__Op');
  assert.equal(names.label('Overview'), 'Overview');
});

test('error codes: the platform\'s, else OTHER', () => {
  assert.equal(errorCodeLabel('FORBIDDEN'), 'FORBIDDEN');
  assert.equal(errorCodeLabel('SUBGRAPH_TIMEOUT'), 'SUBGRAPH_TIMEOUT');
  assert.equal(errorCodeLabel('INTERNAL_SERVER_ERROR'), 'INTERNAL_SERVER_ERROR');
  assert.equal(errorCodeLabel('SOMETHING_A_SUBGRAPH_MADE_UP'), 'OTHER');
  assert.equal(errorCodeLabel(undefined), 'NONE');
});

test('the exposition has the service label, the HTTP and GraphQL series, and the process metrics', async () => {
  const metrics = new ServiceMetrics('land');
  metrics.observeHttp('POST', '/graphql', 200, 0.003);
  metrics.observeHttp('BREW', 'other', 404, 0.0001);
  metrics.graphqlRequests.inc({ operation: 'Overview' });
  metrics.graphqlErrors.inc({ operation: 'Overview', code: 'FORBIDDEN' });
  const { contentType, body } = await metrics.exposition();
  assert.match(contentType, /^text\/plain; version=0\.0\.4/);
  assert.match(body, /^onestop_http_requests_total\{method="POST",route="\/graphql",status="200",service="land"\} 1$/m);
  assert.match(body, /^onestop_http_requests_total\{method="other",route="other",status="404",service="land"\} 1$/m);
  assert.match(body, /^onestop_http_request_duration_seconds_bucket\{le="0\.005",service="land",method="POST",route="\/graphql"\} 1$/m);
  assert.match(body, /^onestop_graphql_requests_total\{operation="Overview",service="land"\} 1$/m);
  assert.match(body, /^onestop_graphql_errors_total\{operation="Overview",code="FORBIDDEN",service="land"\} 1$/m);
  assert.match(body, /^# TYPE onestop_graphql_request_duration_seconds histogram$/m);
  assert.match(body, /^process_cpu_user_seconds_total /m);
  assert.match(body, /^nodejs_eventloop_lag_seconds /m);
  // two services in one process (tests) keep their own series
  const other = new ServiceMetrics('tax', { processMetrics: false });
  const second = (await other.exposition()).body;
  assert.doesNotMatch(second, /service="land"/);
  assert.doesNotMatch(second, /^process_cpu/m);
});

test('a value computed on scrape is reused for the ttl, shared by concurrent scrapes, failures too', async () => {
  let now = 0;
  let calls = 0;
  let fail = false;
  const value = cached(1000, async () => {
    calls++;
    if (fail) throw new Error('broker down');
    return calls;
  }, () => now);
  assert.deepEqual(await Promise.all([value(), value()]), [1, 1]);
  now = 999;
  assert.equal(await value(), 1);
  now = 1000;
  fail = true;
  await assert.rejects(value(), /broker down/);
  now = 1500;
  await assert.rejects(value(), /broker down/);
  assert.equal(calls, 2, 'a failure is not retried on every scrape');
  fail = false;
  now = 2000;
  assert.equal(await value(), 3);
});

test('configuration: on by default, METRICS=off, METRICS_PORT, bad values refused', () => {
  assert.deepEqual(metricsConfigFromEnv({}), { enabled: true, port: undefined, host: '127.0.0.1', maxOperations: 50, operations: [] });
  assert.equal(metricsConfigFromEnv({ METRICS: 'off' }).enabled, false);
  assert.deepEqual(metricsConfigFromEnv({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_OPERATIONS: 'A, B', METRICS_MAX_OPERATIONS: '10' }),
    { enabled: true, port: 9464, host: '0.0.0.0', maxOperations: 10, operations: ['A', 'B'] });
  assert.throws(() => metricsConfigFromEnv({ METRICS: 'maybe' }), /METRICS must be on or off/);
  assert.throws(() => metricsConfigFromEnv({ METRICS_PORT: 'http' }), /METRICS_PORT/);
});
