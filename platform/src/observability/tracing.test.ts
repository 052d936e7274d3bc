import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { close, listen } from '../http';
import { currentTraceId, startTracing, tracingEndpoint } from './tracing';

const SDK_MODULES = ['@opentelemetry/sdk-trace-node', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-undici'];
const loaded = () => Object.keys(require.cache).filter((file) => SDK_MODULES.some((name) => file.includes(`/node_modules/${name}/`)));

test('without an endpoint, tracing is off and not even loaded', () => {
  assert.equal(tracingEndpoint({}), undefined);
  assert.equal(tracingEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318/' }), 'http://otel:4318/v1/traces');
  assert.equal(tracingEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t/x' }), 'http://t/x');
  assert.equal(tracingEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318', OTEL_SDK_DISABLED: 'true' }), undefined);
  assert.equal(startTracing('land', {}), undefined);
  assert.deepEqual(loaded(), []);
  assert.equal(currentTraceId(), undefined);
});

/** This service: the platform's HTTP server and request observer, a route that calls the next service with fetch. */
const SERVICE = `
const { startTracing } = require('./dist/observability/tracing');
const tracing = startTracing('gateway', { OTEL_EXPORTER_OTLP_ENDPOINT: process.env.COLLECTOR, OTEL_SERVICE_NAME: 'onestop-gateway-test' });
const loadedSdk = Object.keys(require.cache).filter((f) => f.includes('/node_modules/@opentelemetry/sdk-trace-node/')).length;
const http = require('node:http');
const { Writable } = require('node:stream');
const { ApolloServer } = require('@apollo/server');
const { close, createHttpServer, listen } = require('./dist/http');
const { createLogger } = require('./dist/observability/logger');
const { serviceObservability } = require('./dist/observability/setup');
(async () => {
  const lines = [];
  const destination = new Writable({ write(chunk, _e, done) { lines.push(...chunk.toString().split('\\n').filter(Boolean).map((l) => JSON.parse(l))); done(); } });
  const log = createLogger('gateway', { level: 'info', destination });
  // the next service: answers with the traceparent it received, logs inside the request
  let received = '';
  const upstream = http.createServer((req, res) => {
    received = String(req.headers.traceparent ?? '');
    log.info({ msg: 'upstream handled' });
    res.end('{}');
  });
  const upstreamPort = await listen(upstream, 0, '127.0.0.1');
  const observability = serviceObservability('gateway', { env: { METRICS: 'off' }, logger: log });
  const apollo = new ApolloServer({ typeDefs: 'type Query { ok: Int }', resolvers: { Query: { ok: () => 1 } } });
  await apollo.start();
  const server = createHttpServer({
    apollo, context: async () => ({}), observe: observability.observe,
    routes: { 'GET /hop': async (_req, res) => { await (await fetch('http://127.0.0.1:' + upstreamPort + '/graphql')).text(); res.end('hopped'); } },
  });
  const port = await listen(server, 0, '127.0.0.1');
  const response = await new Promise((resolve) => http.get('http://127.0.0.1:' + port + '/hop', { headers: { 'x-request-id': 'trace-1' } }, resolve));
  response.resume();
  await new Promise((resolve) => response.on('end', resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  await tracing.shutdown(); // flushes
  await close(server);
  await apollo.stop();
  await close(upstream);
  process.stdout.write(JSON.stringify({ received, lines, loadedSdk }) + '\\n');
})().catch((error) => { console.error(error); process.exit(1); });
`;

interface Span { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; service: string }

test('with an endpoint: spans over OTLP/HTTP, traceparent from an incoming request through fetch to the next service, trace ids in the logs', async () => {
  // an OTLP/HTTP (JSON) collector
  const spans: Span[] = [];
  const collector = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      for (const resource of JSON.parse(body).resourceSpans ?? []) {
        const service = resource.resource.attributes.find((a: { key: string }) => a.key === 'service.name')?.value.stringValue;
        for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const collectorPort = await listen(collector, 0, '127.0.0.1');
  // The service runs in a process of its own, from dist/: OpenTelemetry instruments node:http by hooking Node's module
  // loader, which jest's module registry (where this test runs) bypasses.
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, ['-e', SERVICE], {
      cwd: path.resolve(__dirname, '..', '..'), encoding: 'utf8', timeout: 60_000,
      env: { ...process.env, COLLECTOR: `http://127.0.0.1:${collectorPort}` },
    }));
  } finally {
    await close(collector);
  }
  const { received, lines, loadedSdk } = JSON.parse(stdout.trim().split('\n').pop()!) as { received: string; lines: Record<string, any>[]; loadedSdk: number };
  assert.ok(loadedSdk > 0, 'tracing is on');
  const [, traceId] = /^00-([0-9a-f]{32})-[0-9a-f]{16}-01$/.exec(received) ?? [];
  assert.ok(traceId, `traceparent sent upstream: "${received}"`);
  const inTrace = spans.filter((s) => s.traceId === traceId);
  assert.deepEqual(inTrace.map((s) => s.kind).sort(), [2, 2, 3, 3], `server, fetch, server spans (+ the test's own client span): ${JSON.stringify(inTrace)}`);
  assert.ok(inTrace.every((s) => s.service === 'onestop-gateway-test'));
  const ids = new Set(inTrace.map((s) => s.spanId));
  assert.equal(inTrace.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId)).length, 1, 'one root, the others its descendants');
  const requestLine = lines.find((l) => l.msg === 'request' && l.requestId === 'trace-1');
  assert.equal(requestLine?.traceId, traceId, 'the request line has the trace id');
  assert.equal(lines.find((l) => l.msg === 'upstream handled')?.traceId, traceId, 'lines logged inside the span have it');
});
