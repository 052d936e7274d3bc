import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { seedDemoData } from '../demo-data';
import { procedureCode, CENTER } from '../demo-data/reference';
import { ADMIN, startStack, Stack, StackProcess } from '../stack/stack';
import { graphql, waitForOutput } from '../testing/helpers';
import { FlowParticipants, pickParticipants } from './handoff-fixtures';
import { waitFor } from './handoffs-suite';

/**
 * Issue 6 item 3, done when: /metrics is scraped and shows the named series; one request id is found in the logs of
 * the gateway, a subgraph and a Kafka (or embedded-bus) consumer. Also: the trace of a request crosses the gateway and
 * its subgraphs (W3C traceparent) when an OTLP endpoint is configured.
 */
const SUBMIT = `mutation Submit($input: SubmitDossierInput!) { submitDossier(input: $input) { code status } }`;
const PROCEDURES = `query ObsProcedures($limit: Int!) { procedures(limit: $limit) { totalCount items { code name } } }`;

type Line = Record<string, any>;

/** An OTLP/HTTP (JSON) collector in the test process: spans by service name. */
async function startCollector() {
  const spans: { service: string; traceId: string; name: string; kind: number }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try {
        for (const resource of JSON.parse(body).resourceSpans ?? []) {
          const service = resource.resource.attributes.find((a: { key: string }) => a.key === 'service.name')?.value.stringValue;
          for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ service, traceId: span.traceId, name: span.name, kind: span.kind });
        }
      } catch {
        // not JSON (protobuf): ignored
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { spans, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Every JSON line a process printed since `watch`, parsed (the stack's own buffer keeps the last 200 only). */
function watch(proc: StackProcess): Line[] {
  const lines: Line[] = [];
  // a read may end inside a line (logs leave in buffered writes): the rest waits for the next read, per stream
  const collector = () => {
    let rest = '';
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop()!;
      for (const text of parts) {
        if (!text.startsWith('{')) continue;
        try {
          lines.push(JSON.parse(text));
        } catch {
          // not one of ours
        }
      }
    };
  };
  proc.child.stdout?.on('data', collector());
  proc.child.stderr?.on('data', collector());
  return lines;
}

/** The value of a series (labels in any order; `service` included) in an exposition, or undefined. */
function value(exposition: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const found = new Map([...line.matchAll(/([a-z_]+)="([^"]*)"/g)].map(([, key, v]) => [key, v]));
    if (Object.entries(labels).every(([key, v]) => found.get(key) === v) && found.size === Object.keys(labels).length) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

export function observabilitySuite(label: string, setup: () => { env: NodeJS.ProcessEnv; basePort: number; kafka: boolean } | undefined) {
  describe(`observability on ${label}`, () => {
    let stack: Stack | undefined;
    let collector: Awaited<ReturnType<typeof startCollector>> | undefined;
    let admin: Record<string, string> = {};
    let people: FlowParticipants;
    let kafka = false;
    let prefix = 'onestop';
    /** The consumer lag series of a member's inbox topic, by partition. */
    const lags = (exposition: string, member: string) => {
      const topic = `${prefix}.handoff.${member}`;
      const found = [...exposition.matchAll(/^onestop_handoff_consumer_lag\{([^}]*)\} (\S+)$/gm)]
        .filter(([, labels]) => labels.includes(`topic="${topic}"`) && labels.includes(`service="${member}"`))
        .map(([, labels, v]) => [Number(/partition="(\d+)"/.exec(labels)![1]), Number(v)] as const);
      return new Map(found);
    };
    const logs = new Map<string, Line[]>();
    const proc = (name: string) => (name === 'gateway' ? stack!.gateway : stack!.subgraphs.find((s) => s.name === name)!);
    const scrape = async (name: string) => {
      const response = await fetch(new URL('/metrics', proc(name).url));
      assert.equal(response.status, 200, `${name} /metrics`);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      return response.text();
    };

    beforeAll(async () => {
      const config = setup();
      if (!config) return;
      kafka = config.kafka;
      prefix = config.env.HANDOFF_TOPIC_PREFIX ?? 'onestop';
      collector = await startCollector();
      const env = {
        ...config.env, LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '200',
      };
      await seedDemoData({ citizens: 300, env });
      people = await pickParticipants(env);
      stack = await startStack({ env, basePort: config.basePort, output: 'quiet' });
      for (const p of [stack.gateway, ...stack.subgraphs]) logs.set(p.name, watch(p));
      admin = await stack.as(ADMIN);
    });

    afterAll(async () => {
      await stack?.stop();
      await collector?.close();
    });

    test('/metrics of the gateway and of a subgraph show the named series with sensible values', async () => {
      if (!stack) throw new Error('the stack did not start');
      const gatewayUrl = stack.gatewayUrl;
      // five different pages: the gateway caches catalogue answers, and each must reach single-window once
      for (let i = 0; i < 5; i++) {
        const response = await graphql(gatewayUrl, PROCEDURES, { limit: i + 1 }, admin);
        assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      }
      const bad = await graphql(gatewayUrl, 'query ObsBadCitizen { citizen(personalNumber: "12345") { fullName } }', undefined, admin);
      assert.equal(bad.errors?.[0].extensions?.code, 'BAD_USER_INPUT');

      const gateway = await scrape('gateway');
      const g = { service: 'gateway' };
      assert.equal(value(gateway, 'onestop_graphql_requests_total', { ...g, operation: 'ObsProcedures' }), 5);
      assert.equal(value(gateway, 'onestop_graphql_request_duration_seconds_count', { ...g, operation: 'ObsProcedures' }), 5);
      const seconds = value(gateway, 'onestop_graphql_request_duration_seconds_sum', { ...g, operation: 'ObsProcedures' })!;
      assert.ok(seconds > 0 && seconds < 30, `5 requests took ${seconds} s in all`);
      assert.equal(value(gateway, 'onestop_graphql_errors_total', { ...g, operation: 'ObsBadCitizen', code: 'BAD_USER_INPUT' }), 1);
      assert.ok(value(gateway, 'onestop_http_requests_total', { ...g, method: 'POST', route: '/graphql', status: '200' })! >= 6);
      // the /ready probes of the stack runner went to the gateway too
      assert.ok(value(gateway, 'onestop_http_requests_total', { ...g, method: 'GET', route: '/ready', status: '200' })! >= 1);
      const fetches = value(gateway, 'onestop_subgraph_fetch_duration_seconds_count', { ...g, subgraph: 'single-window' })!;
      assert.ok(fetches >= 5, `single-window fetches: ${fetches}`);
      assert.ok(value(gateway, 'onestop_subgraph_fetch_duration_seconds_bucket', { ...g, subgraph: 'single-window', le: '+Inf' }) === fetches);
      assert.ok(value(gateway, 'process_resident_memory_bytes', {})! > 10e6);
      assert.notEqual(value(gateway, 'nodejs_eventloop_lag_seconds', {}), undefined);

      const singleWindow = await scrape('single-window');
      const s = { service: 'single-window' };
      // the gateway's planner names its fetch ObsProcedures__single_window__0: the subgraph counts it as ObsProcedures
      assert.equal(value(singleWindow, 'onestop_graphql_requests_total', { ...s, operation: 'ObsProcedures' }), 5);
      assert.equal(value(singleWindow, 'onestop_handoff_outbox_backlog', s), 0);
      // embedded bus: one partition; Kafka: one series per partition of the topic (HANDOFF_PARTITIONS=3); nothing waits
      assert.deepEqual([...lags(singleWindow, 'single-window')].sort(), kafka ? [[0, 0], [1, 0], [2, 0]] : [[0, 0]]);
      assert.match(singleWindow, /^# TYPE onestop_handoff_messages_sent_total counter$/m);
      assert.ok(value(singleWindow, 'process_cpu_user_seconds_total', {})! > 0);
    });

    test('one request id in the logs of the gateway, single-window, and the civil-status consumer; handoff series move', async () => {
      if (!stack) throw new Error('the stack did not start');
      const requestId = `obs-${randomUUID()}`;
      const mother = people.mothers[0];
      const birthDate = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
      const submitted = await graphql(stack.gatewayUrl, SUBMIT, { input: {
        receivingAgencyCode: CENTER, channel: 'COUNTER', procedureCode: procedureCode('1.001193'),
        applicantName: 'Người đi khai sinh', applicantPersonalNumber: mother.personalNumber,
        birthRegistration: {
          childName: 'Nguyễn Quan Sát', birthDate, sex: 'FEMALE', birthProvinceCode: '099', communeCode: mother.communeCode, motherPersonalNumber: mother.personalNumber,
        },
      } }, { ...admin, 'x-request-id': requestId });
      assert.equal(submitted.errors, undefined, JSON.stringify(submitted.errors));
      assert.equal(submitted.headers.get('x-request-id'), requestId);
      const code = submitted.data!.submitDossier.code as string;
      const find = (name: string, test: (line: Line) => boolean) => logs.get(name)!.find((line) => line.requestId === requestId && test(line));
      const found = (name: string, what: string, test: (line: Line) => boolean) =>
        waitFor(`${name}: ${what} with request id ${requestId}`, async () => find(name, test), 30_000);

      const atGateway = await found('gateway', 'the request line', (l) => l.msg === 'request' && l.path === '/graphql');
      assert.equal(atGateway.status, 200);
      assert.equal(atGateway.role, 'admin');
      assert.equal(atGateway.operation, 'Submit');
      assert.equal(atGateway.service, 'gateway');
      const atSingleWindow = await found('single-window', 'the request line', (l) => l.msg === 'request');
      assert.equal(atSingleWindow.role, 'admin');
      const sent = await found('single-window', 'the handoff sent', (l) => l.msg === 'handoff sent' && l.messageType === 'civil-status.birth-registration-requested');
      assert.equal(sent.correlationId, code);
      // the consumer: civil-status applies it, under the same request id and message id
      const applied = await found('civil-status', 'the handoff applied', (l) => l.msg === 'handoff applied' && l.messageId === sent.messageId);
      assert.equal(applied.correlationId, code);
      assert.equal(applied.service, 'civil-status');
      // and what civil-status sends on (to police, social insurance, back to single-window) carries it too
      await found('civil-status', 'its own handoff sent', (l) => l.msg === 'handoff sent' && l.messageType === 'civil-status.birth-registered');
      await found('single-window', 'the status report applied', (l) => l.msg === 'handoff applied' && l.messageType === 'dossier.status-changed');
      // a dossier received at the counter without a transfer: the applicant's SMS about the receipt is logged under
      // the request id too (its status notification carried it through the outbox and the bus)
      const land = (await graphql(stack.gatewayUrl, '{ procedures(limit: 100) { items { code handlingSector } } }', undefined, admin))
        .data!.procedures.items.find((p: { handlingSector: string }) => p.handlingSector === 'LAND');
      const noticeRequestId = `obs-notice-${randomUUID()}`;
      const received = await graphql(stack.gatewayUrl, SUBMIT, { input: {
        receivingAgencyCode: CENTER, channel: 'COUNTER', procedureCode: land.code, applicantName: 'Người nộp hồ sơ đất đai',
        applicantPersonalNumber: mother.personalNumber, contactPhone: '0912 345 678',
      } }, { ...admin, 'x-request-id': noticeRequestId });
      assert.equal(received.errors, undefined, JSON.stringify(received.errors));
      const notice = await waitFor('single-window: the receipt SMS under its request id', async () =>
        logs.get('single-window')!.find((l) => l.msg === 'notice sent' && l.requestId === noticeRequestId), 30_000);
      assert.equal(notice.reference, received.data!.submitDossier.code);
      assert.equal(notice.medium, 'sms');
      // the stack's own output buffer has the consumer's line as well
      await waitForOutput(proc('civil-status'), new RegExp(`${requestId}.*handoff applied|handoff applied.*${requestId}`));

      // a trace: the gateway and single-window lines name the same trace; both services exported spans of it
      assert.match(atGateway.traceId ?? '', /^[0-9a-f]{32}$/, 'the gateway logs a trace id');
      assert.equal(atSingleWindow.traceId, atGateway.traceId, 'traceparent reached the subgraph');
      const spans = await waitFor('spans of both services', async () => {
        const inTrace = collector!.spans.filter((span) => span.traceId === atGateway.traceId);
        return ['onestop-gateway', 'onestop-single-window'].every((service) => inTrace.some((span) => span.service === service)) ? inTrace : undefined;
      }, 15_000);
      assert.ok(spans.some((span) => span.service === 'onestop-gateway' && span.kind === 3), 'the gateway\'s fetch to the subgraph is a client span');

      const handoffSeries = async () => {
        const [singleWindow, civilStatus] = await Promise.all([scrape('single-window'), scrape('civil-status')]);
        return {
          sent: value(singleWindow, 'onestop_handoff_messages_sent_total', { service: 'single-window', message_type: 'civil-status.birth-registration-requested' }) ?? 0,
          applied: value(civilStatus, 'onestop_handoff_messages_applied_total', { service: 'civil-status', message_type: 'civil-status.birth-registration-requested' }) ?? 0,
          forwarded: value(civilStatus, 'onestop_handoff_messages_sent_total', { service: 'civil-status', message_type: 'civil-status.birth-registered' }) ?? 0,
          backlog: value(civilStatus, 'onestop_handoff_outbox_backlog', { service: 'civil-status' }),
        };
      };
      const series = await waitFor('handoff series', async () => {
        const now = await handoffSeries();
        return now.sent >= 1 && now.applied >= 1 && now.forwarded >= 2 && now.backlog === 0 ? now : undefined;
      }, 20_000);
      assert.equal(series.applied, series.sent, 'every birth request single-window sent, civil-status applied');
      // civil-status has read (and committed) everything on its topic; the lag cache is 5 s
      const drained = await waitFor('civil-status lag back to 0', async () => {
        const lag = lags(await scrape('civil-status'), 'civil-status');
        return lag.size === (kafka ? 3 : 1) && [...lag.values()].every((v) => v === 0) ? lag : undefined;
      }, 20_000);
      assert.ok(drained.size > 0);
    });
  });
}
