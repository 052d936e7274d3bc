import { afterAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kafkaTestSecurity, runId, service, testWith } from '../testing';

import { openDatabase } from '../database';
import { deadLetterTopicFor, MEMBERS, topicFor } from './contracts';
import { HANDOFF_ENTITIES, InboxMessage } from './entities';
import { Envelope, newMessageId, signEnvelope } from './envelope';
import { KafkaTransport } from './kafka-transport';
import { ensureDevKeys, KeyRing } from './keys';
import { HANDOFF_MIGRATIONS } from './migration';
import { deepEnvelope } from './pipeline-fixtures';
import { HandoffNode } from './node';

// A topic prefix of this run only: the broker is shared (topic names are read from it when used).
process.env.HANDOFF_TOPIC_PREFIX = `jam${runId()}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-jam-kafka-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

testWith(['kafka'], 'Kafka: a deep body, one just under 1 MB, invalid UTF-8 and a throwing handler are dead-lettered; the next message on the partition is applied', async () => {
  const brokers = service('kafka')!.split(',');
  const keysDir = path.join(dir, 'keys');
  ensureDevKeys(keysDir, MEMBERS);
  const transport = new KafkaTransport({ brokers, clientId: 'onestop-jam-land', partitions: 1, security: kafkaTestSecurity() });
  const database = await openDatabase({ config: { kind: 'sqlite', file: path.join(dir, 'land.sqlite') }, entities: HANDOFF_ENTITIES, migrations: HANDOFF_MIGRATIONS });
  const dossier = '000.00.31.H99-260701-0001';
  const sign = (fields: Partial<Envelope> = {}): Envelope => signEnvelope({
    messageId: newMessageId(), correlationId: dossier, sender: 'tax', recipient: 'land', messageType: 'tax.payment-confirmed', schemaVersion: 1,
    issuedAt: new Date().toISOString(), officerId: null, payload: { noticeNumber: 'TB-1', receiptNumber: 'BL-1', amount: 1000, paidAt: new Date().toISOString() }, ...fields,
  } as Envelope, KeyRing.fromDirectory('tax', keysDir).privateKey);
  // another dossier (its dead letter holds only its own), on the same partition (the topic has one)
  const throwing = sign({ correlationId: '000.00.31.H99-260701-0002', payload: { noticeNumber: 'THROW', receiptNumber: 'BL-2', amount: 1, paidAt: new Date().toISOString() } });
  const next = sign();
  const node = new HandoffNode({
    member: 'land', dataSource: database.dataSource, transport, keys: KeyRing.fromDirectory('land', keysDir), log: (entry) => process.env.JAM_DEBUG && console.error(JSON.stringify(entry).slice(0, 300)), maxAttempts: 2,
    handlers: {
      'tax.payment-confirmed': async ({ envelope }) => {
        if ((envelope.payload as { noticeNumber: string }).noticeNumber === 'THROW') throw new RangeError('unexpected');
      },
    },
  });
  try {
    await transport.ensureTopics([topicFor('land'), deadLetterTopicFor('land')]);
    const nearLimit = `{"x":"${'a'.repeat(999_000)}"}`;
    // one at a time: a record batch has the same size limit as a record
    for (const value of [deepEnvelope(), nearLimit, Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), JSON.stringify(throwing), JSON.stringify(next)]) {
      await transport.publish([{ topic: topicFor('land'), key: dossier, value }]);
    }
    await node.start();
    const deadline = Date.now() + 60_000;
    while (!(await database.dataSource.getRepository(InboxMessage).countBy({ messageId: next.messageId })) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal(await database.dataSource.getRepository(InboxMessage).countBy({ messageId: next.messageId }), 1, 'the next message was applied');
    const letters = await transport.readAll(deadLetterTopicFor('land'));
    const reasons = letters.map((l) => l.headers['x-dead-letter-reason']);
    assert.equal(letters.length, 4, JSON.stringify(reasons));
    assert.match(reasons[0], /^malformed: nested deeper than 32 levels/);
    assert.match(reasons[1], /^malformed: envelope field messageId/);
    assert.equal(letters[1].headers['x-original-size'], String(nearLimit.length), 'kept as its hash');
    assert.ok(letters[1].value!.length < 1000);
    assert.match(reasons[2], /^malformed: not valid UTF-8/);
    assert.match(reasons[3], /^failed after 2 attempts: unexpected/);
  } finally {
    await node.stop();
    await transport.close();
    await database.dataSource.destroy();
  }
}, 120_000);
