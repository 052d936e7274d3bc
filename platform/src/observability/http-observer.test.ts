import { afterAll, beforeAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { close, createHttpServer, listen, sendJson } from '../http';
import { formatError } from '../errors';
import { httpObserver } from './http-observer';
import { createLogger } from './logger';
import { ServiceMetrics } from './metrics';
import { useGraphQLMetrics } from './graphql-metrics';
import { requestScopeOf } from './request-scope';

type Context = { identity: { role: string } | null };
const logged: Record<string, any>[] = [];
const destination = new Writable({
  write(chunk, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line));
    done();
  },
});
const metrics = new ServiceMetrics('test-service', { processMetrics: false });
let apollo: ApolloServer<Context>;
let server: http.Server;
let base = '';

beforeAll(async () => {
  apollo = new ApolloServer<Context>({
    typeDefs: 'type Query { hello: String, requestId: String, secret: String }',
    resolvers: {
      Query: {
        hello: () => 'xin chào',
        // the context value leads to the request's scope (the HTTP server tied them)
        requestId: async (_root: unknown, _args: unknown, context: Context) => {
          await new Promise((resolve) => setTimeout(resolve, 2));
          return requestScopeOf(context)?.requestId;
        },
        secret: () => {
          throw new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } });
        },
      },
    },
    formatError,
    plugins: [useGraphQLMetrics<Context>(metrics)],
  });
  await apollo.start();
  server = createHttpServer<Context>({
    apollo,
    context: async (req) => ({ identity: req.headers.authorization ? { role: 'officer' } : null }),
    routes: { 'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    observe: httpObserver({ logger: createLogger('test-service', { level: 'info', destination }), metrics }),
  });
  base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
});

afterAll(async () => {
  await close(server);
  await apollo.stop();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** The response has been sent before 'finish' runs on the server: wait for the line. */
async function lineFor(requestId: string): Promise<Record<string, any>> {
  for (let i = 0; i < 100; i++) {
    const found = logged.find((line) => line.requestId === requestId && line.msg === 'request');
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no request line for ${requestId}: ${JSON.stringify(logged)}`);
}

test('one line per request: method, path, status, duration, request id, role and operation', async () => {
  const response = await post({ query: 'query Greeting { hello requestId }', operationName: 'Greeting' }, { 'x-request-id': 'obs-1', authorization: 'Bearer x' });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { data: { hello: 'xin chào', requestId: 'obs-1' } });
  const line = await lineFor('obs-1');
  assert.equal(line.level, 'info');
  assert.equal(line.service, 'test-service');
  assert.equal(line.method, 'POST');
  assert.equal(line.path, '/graphql');
  assert.equal(line.status, 200);
  assert.equal(line.role, 'officer');
  assert.equal(line.operation, 'Greeting');
  assert.ok(typeof line.durationMs === 'number' && line.durationMs >= 2, `durationMs ${line.durationMs}`);
});

test('a request without an id gets one, in the response header and the log line; anonymous callers are named so', async () => {
  const response = await post({ query: '{ hello }' });
  const id = response.headers.get('x-request-id');
  assert.match(id ?? '', /^[0-9a-f-]{36}$/);
  const line = await lineFor(id!);
  assert.equal(line.role, 'anonymous');
  assert.equal(line.operation, undefined);
});

test('the series count requests by route and status, operations by name, errors by code', async () => {
  await post({ query: 'query Secret { secret }' }, { 'x-request-id': 'obs-3' });
  await post({ query: '{ this is not graphql' }, { 'x-request-id': 'obs-4' });
  const missing = await fetch(`${base}/nowhere?x=1`, { headers: { 'x-request-id': 'obs-5' } });
  assert.equal(missing.status, 404);
  await fetch(`${base}/health`, { headers: { 'x-request-id': 'obs-6' } });
  await lineFor('obs-5');
  // the server counts a request once its response is finished, which may be just after the client read it
  let body = '';
  for (let i = 0; i < 100 && !/route="\/health",status="200"/.test(body); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    body = (await metrics.exposition()).body;
  }
  assert.match(body, /^onestop_graphql_requests_total\{operation="Greeting",service="test-service"\} 1$/m);
  assert.match(body, /^onestop_graphql_requests_total\{operation="anonymous",service="test-service"\} 2$/m);
  assert.match(body, /^onestop_graphql_errors_total\{operation="Secret",code="FORBIDDEN",service="test-service"\} 1$/m);
  assert.match(body, /^onestop_graphql_errors_total\{operation="anonymous",code="GRAPHQL_PARSE_FAILED",service="test-service"\} 1$/m);
  assert.match(body, /^onestop_http_requests_total\{method="POST",route="\/graphql",status="200",service="test-service"\} 3$/m);
  assert.match(body, /^onestop_http_requests_total\{method="POST",route="\/graphql",status="400",service="test-service"\} 1$/m);
  assert.match(body, /^onestop_http_requests_total\{method="GET",route="other",status="404",service="test-service"\} 1$/m);
  assert.match(body, /^onestop_http_requests_total\{method="GET",route="\/health",status="200",service="test-service"\} 1$/m);
  assert.match(body, /^onestop_http_request_duration_seconds_count\{service="test-service",method="POST",route="\/graphql"\} 4$/m);
  assert.equal(logged.filter((line) => line.requestId === 'obs-6').length, 0, 'probes are logged at debug only');
  assert.equal((await lineFor('obs-5')).path, '/nowhere', 'the query string is not logged');
});
