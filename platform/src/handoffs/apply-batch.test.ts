import { afterAll, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../database';
import { tempDir } from '../testing';
import { MEMBERS, topicFor } from './contracts';
import { EmbeddedTransport } from './embedded-transport';
import { DeadLetterRecord, HANDOFF_ENTITIES, InboxMessage, OutboxMessage } from './entities';
import { Envelope, newMessageId, signEnvelope } from './envelope';
import { ensureDevKeys, KeyRing } from './keys';
import { HANDOFF_MIGRATIONS } from './migration';
import { applyBatchFromEnv, HandoffNode, HandoffRejection } from './node';
import { relayBucket } from './relay';
import { IncomingMessage } from './transport';

const dir = tempDir('apply-batch');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('HANDOFF_APPLY_BATCH: 100 by default, checked', () => {
  expect(applyBatchFromEnv({})).toBe(100);
  expect(applyBatchFromEnv({ HANDOFF_APPLY_BATCH: '7' })).toBe(7);
  for (const bad of ['0', '2.5', 'many', '5000']) expect(() => applyBatchFromEnv({ HANDOFF_APPLY_BATCH: bad })).toThrow(/HANDOFF_APPLY_BATCH/);
});

test('a bus batch is applied in transactions of applyBatchSize, in order, heartbeating between them; what handlers send is queued with them; a rejected one is dead-lettered alone', async () => {
  const keysDir = path.join(dir, 'keys');
  ensureDevKeys(keysDir, MEMBERS);
  const bus = new EmbeddedTransport(path.join(dir, 'bus.sqlite'), 5);
  const database = await openDatabase({ config: { kind: 'sqlite', file: path.join(dir, 'land.sqlite') }, entities: HANDOFF_ENTITIES, migrations: HANDOFF_MIGRATIONS });
  let calls = 0;
  const commits: string[][] = [];
  const node = new HandoffNode({
    member: 'land', dataSource: database.dataSource, transport: bus, keys: KeyRing.fromDirectory('land', keysDir), log: () => undefined, applyBatchSize: 3,
    afterCommit: (applied) => commits.push(applied.map((e) => e.correlationId)),
    handlers: {
      'tax.payment-confirmed': async ({ envelope, notify }) => {
        if (envelope.payload.receiptNumber === 'BL-REFUSE') throw new HandoffRejection('no such notice');
        calls++;
        await notify({ channel: 'dossier-status', correlationId: envelope.correlationId, messageType: 'dossier.status-changed', payload: { n: calls } });
        await notify({ channel: 'dossier-status', correlationId: envelope.correlationId, messageType: 'dossier.status-changed', payload: { n: calls, second: true } });
      },
    },
  });
  const tax = KeyRing.fromDirectory('tax', keysDir);
  const codes = Array.from({ length: 8 }, (_, i) => `000.00.31.H99-260701-${String(i + 1).padStart(4, '0')}`);
  const envelopes: Envelope[] = codes.map((correlationId, i) => signEnvelope({
    messageId: newMessageId(), correlationId, sender: 'tax', recipient: 'land', messageType: 'tax.payment-confirmed', schemaVersion: 1,
    issuedAt: new Date().toISOString(), officerId: null,
    payload: { noticeNumber: 'TB-1', receiptNumber: i === 4 ? 'BL-REFUSE' : 'BL-1', amount: 1000, paidAt: new Date().toISOString() },
  }, tax.privateKey));
  const messages: IncomingMessage[] = envelopes.map((e, i) => ({
    topic: topicFor('land'), partition: 0, offset: String(i), key: e.correlationId, value: Buffer.from(JSON.stringify(e)), headers: {},
  }));
  let heartbeats = 0;
  try {
    await node.handleBatch(messages, async () => void heartbeats++);
    const applied = codes.filter((_, i) => i !== 4);
    expect(commits.flat()).toEqual(applied);
    // 8 messages in transactions of 3: [0 1 2], [3 4 5] fails on 4 and is applied one by one, [6 7]
    expect(commits).toEqual([[codes[0], codes[1], codes[2]], [codes[3]], [codes[5]], [codes[6], codes[7]]]);
    expect(heartbeats).toBeGreaterThanOrEqual(2);
    expect(await database.dataSource.getRepository(InboxMessage).count()).toBe(7);
    expect((await database.dataSource.getRepository(DeadLetterRecord).find()).map((d) => d.correlationId)).toEqual([codes[4]]);
    const outbox = await database.dataSource.getRepository(OutboxMessage).find({ where: { recipient: 'notifications' }, order: { id: 'ASC' } });
    expect(outbox.map((r) => r.messageKey)).toEqual(applied.flatMap((c) => [c, c]));
    expect(outbox.map((r) => JSON.parse(r.envelope).payload.second ?? false)).toEqual(applied.flatMap(() => [false, true]));
    for (const row of outbox) expect(row.bucket).toBe(relayBucket(row.messageKey));
  } finally {
    await node.stop();
    await database.dataSource.destroy();
    await bus.close();
  }
});
