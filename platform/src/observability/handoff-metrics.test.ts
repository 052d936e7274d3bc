import { afterAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database, openDatabase } from '../database';
import { EmbeddedTransport } from '../handoffs/embedded-transport';
import { HANDOFF_ENTITIES, OutboxMessage } from '../handoffs/entities';
import { HANDOFF_MIGRATIONS } from '../handoffs/migration';
import { ensureDevKeys, KeyRing } from '../handoffs/keys';
import { MEMBERS, topicFor } from '../handoffs/contracts';
import { HandoffHandlers, HandoffNode } from '../handoffs/node';
import { statusReport } from '../handoffs/status';
import { HandoffMetrics, messageTypeLabel } from './handoff-metrics';
import { ServiceMetrics } from './metrics';
import { RequestContext } from '../context';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-handoff-metrics-'));
const keysDir = path.join(dir, 'keys');
ensureDevKeys(keysDir, MEMBERS);
const bus = new EmbeddedTransport(path.join(dir, 'bus.sqlite'), 5);
const DOSSIER = '000.00.31.H99-260701-0042';
const opened: { node: HandoffNode; database: Database }[] = [];

afterAll(async () => {
  for (const { node, database } of opened) {
    await node.stop();
    await database.dataSource.destroy();
  }
  await bus.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function member(name: string, handlers: HandoffHandlers = {}) {
  const database = await openDatabase({ config: { kind: 'sqlite', file: path.join(dir, `${name}.sqlite`) }, entities: HANDOFF_ENTITIES, migrations: HANDOFF_MIGRATIONS });
  const metrics = new ServiceMetrics(name, { processMetrics: false });
  const lines: Record<string, any>[] = [];
  const observer = new HandoffMetrics(metrics.registry, { outboxBacklog: () => node.outboxBacklog(), consumerLag: () => node.consumerLag(), heldMessages: () => node.heldMessages() }, { backlogTtlMs: 0, lagTtlMs: 0 });
  const node: HandoffNode = new HandoffNode({
    member: name, dataSource: database.dataSource, transport: bus, keys: KeyRing.fromDirectory(name, keysDir), handlers,
    log: (entry) => lines.push(entry), observer, relayIntervalMs: 10,
  });
  opened.push({ node, database });
  /** The value of one series of this member (labels in any order, plus service), or undefined when absent. */
  const value = async (series: string): Promise<number | undefined> => {
    const wanted = parseSeries(series);
    wanted.labels.add(`service="${name}"`);
    for (const line of (await metrics.exposition()).body.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const found = parseSeries(line.slice(0, line.lastIndexOf(' ')));
      if (found.name === wanted.name && found.labels.size === wanted.labels.size && [...wanted.labels].every((l) => found.labels.has(l))) {
        return Number(line.slice(line.lastIndexOf(' ') + 1));
      }
    }
    return undefined;
  };
  return { node, database, lines, value };
}

function parseSeries(series: string): { name: string; labels: Set<string> } {
  const brace = series.indexOf('{');
  if (brace < 0) return { name: series, labels: new Set() };
  return { name: series.slice(0, brace), labels: new Set(series.slice(brace + 1, -1).split(/,(?=[a-z_]+=")/)) };
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const found = await probe();
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('sent, applied, duplicates and dead letters are counted by type; backlog and lag on scrape; one request id throughout', async () => {
  const tax = await member('tax');
  const land = await member('land', {
    // land answers the service center, as a handler does: what it sends carries the id of the request that started it
    'tax.payment-confirmed': async ({ envelope, send }) => send(statusReport({ dossierCode: envelope.correlationId, statusCode: 4, status: 'APPROVAL', unitCode: 'land' })),
  });

  // A mutation on tax in request req-42 sends through ctx.handoffs, as resolvers do: the outbox row keeps the id
  // (tax is not started: nothing is relayed yet).
  const ctx = new RequestContext(tax.database.dataSource, 'req-42', tax.node);
  await ctx.db.transaction((manager) => ctx.handoffs.send(manager, {
    messageType: 'tax.payment-confirmed', recipient: 'land', correlationId: DOSSIER,
    payload: { noticeNumber: 'TB-2026-000042', receiptNumber: 'KB-42', amount: 31_250_000, paidAt: new Date().toISOString() },
  }));
  assert.ok(ctx.handoffs instanceof HandoffNode);
  assert.equal(await ctx.handoffs.outboxBacklog(), 1, 'the rest is the node itself');
  assert.equal((await tax.database.dataSource.getRepository(OutboxMessage).findOneByOrFail({ messageKey: DOSSIER })).requestId, 'req-42');
  assert.equal(await tax.value('onestop_handoff_outbox_backlog'), 1);
  assert.equal(await land.value('onestop_handoff_consumer_lag{topic="onestop.handoff.land",partition="0"}'), 0, 'nothing on the bus yet');

  await tax.node.start();
  await eventually('tax relayed', async () => (await tax.value('onestop_handoff_outbox_backlog')) === 0);
  assert.equal(await tax.value('onestop_handoff_messages_sent_total{message_type="tax.payment-confirmed"}'), 1);
  const sent = tax.lines.find((l) => l.msg === 'handoff sent');
  assert.deepEqual({ ...sent }, {
    level: 'info', msg: 'handoff sent', messageId: sent?.messageId, correlationId: DOSSIER, messageType: 'tax.payment-confirmed', recipient: 'land', requestId: 'req-42',
  });
  const [onBus] = await bus.readAll(topicFor('land'));
  assert.equal(onBus.headers['x-request-id'], 'req-42', 'the request id travels as a header');
  assert.equal(JSON.parse(onBus.value!.toString()).requestId, undefined, 'the signed envelope is unchanged');
  assert.equal(await land.value('onestop_handoff_consumer_lag{topic="onestop.handoff.land",partition="0"}'), 1, 'land has not read it yet');

  await land.node.start();
  await eventually('land applied', async () => (await land.value('onestop_handoff_messages_applied_total{message_type="tax.payment-confirmed"}')) === 1);
  const applied = land.lines.find((l) => l.msg === 'handoff applied');
  assert.equal(applied?.requestId, 'req-42');
  assert.equal(applied?.messageId, sent?.messageId);
  assert.equal(applied?.correlationId, DOSSIER);
  await eventually('lag back to 0', async () => (await land.value('onestop_handoff_consumer_lag{topic="onestop.handoff.land",partition="0"}')) === 0);
  const answer = await eventually('land answered the service center', async () => (await bus.readAll(topicFor('single-window'))).find((m) => m.key === DOSSIER));
  assert.equal(answer.headers['x-request-id'], 'req-42', 'a handler\'s message carries the incoming request id');
  assert.ok(land.lines.some((l) => l.msg === 'handoff sent' && l.messageType === 'dossier.status-changed' && l.requestId === 'req-42'));

  // The same message again (a replay, a redelivery): ignored, counted, logged with its request id.
  await bus.publish([{ topic: onBus.topic, key: onBus.key!, value: onBus.value!.toString(), headers: onBus.headers }]);
  await eventually('duplicate counted', async () => (await land.value('onestop_handoff_messages_duplicate_total{message_type="tax.payment-confirmed"}')) === 1);
  assert.ok(land.lines.some((l) => l.msg === 'handoff duplicate ignored' && l.requestId === 'req-42'));
  assert.equal(await land.value('onestop_handoff_messages_applied_total{message_type="tax.payment-confirmed"}'), 1);

  // Garbage is dead-lettered: no type to tell, so `unknown`.
  await bus.publish([{ topic: topicFor('land'), key: DOSSIER, value: '{"not": "an envelope"', headers: { 'x-request-id': 'req-garbage' } }]);
  await eventually('dead letter counted', async () => (await land.value('onestop_handoff_messages_dead_lettered_total{message_type="unknown"}')) === 1);
  const dead = land.lines.find((l) => l.msg === 'handoff dead-lettered');
  assert.equal(dead?.requestId, 'req-garbage');
  assert.equal(dead?.correlationId, DOSSIER);
  // garbage holds no dossier: nothing waits for an operator
  assert.equal(await land.value('onestop_handoff_held_messages'), 0);
});

test('a request\'s view of the node: its id unless the request names another; the node itself keeps none', async () => {
  const sender = await member('business-registration');
  const report = (n: number) => statusReport({ dossierCode: `${DOSSIER}${n}`, statusCode: 4, status: 'IN_APPRAISAL', unitCode: 'business-registration' });
  await sender.database.dataSource.transaction(async (manager) => {
    await sender.node.forRequest('req-a').send(manager, report(1));
    await sender.node.forRequest('req-a').send(manager, { ...report(2), requestId: 'req-explicit' });
    await sender.node.send(manager, report(3));
  });
  const rows = await sender.database.dataSource.getRepository(OutboxMessage).find({ order: { id: 'ASC' } });
  assert.deepEqual(rows.map((r) => r.requestId), ['req-a', 'req-explicit', null]);
});

test('message types outside the contracts share one label; a failing collection leaves the scrape working', async () => {
  assert.equal(messageTypeLabel('land.transfer-requested'), 'land.transfer-requested');
  assert.equal(messageTypeLabel('evil.type-made-up-by-a-sender'), 'other');
  assert.equal(messageTypeLabel(undefined), 'unknown');
  const metrics = new ServiceMetrics('land', { processMetrics: false });
  const failures: string[] = [];
  new HandoffMetrics(metrics.registry, {
    outboxBacklog: async () => { throw new Error('database unreachable'); },
    consumerLag: async () => { throw new Error('broker unreachable'); },
  }, { onError: (what, error) => failures.push(`${what}: ${(error as Error).message}`) });
  const { body } = await metrics.exposition();
  assert.match(body, /# TYPE onestop_handoff_outbox_backlog gauge/);
  assert.deepEqual(failures.sort(), ['consumer lag: broker unreachable', 'outbox backlog: database unreachable']);
});
