import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import {
  AccessTable, databaseConfig, DeadLetterStatus, EmbeddedTransport, entitiesOf, ensureDevKeys, EnvelopeVerifier, HandoffNode, HandoffRejection, InboxMessage,
  KeyRing, MEMBERS, migrationsOf, newMessageId, openDatabase, signEnvelope, topicFor,
} from '@onestop/platform';
import { tempDir } from '@onestop/platform/testing';
import { DEFINITIONS } from '../stack/definitions';
import { DeadLetter, discardLetter, listDeadLetters, replayChecked, replayRefusal } from './dead-letters';

const tax = generateKeyPairSync('ed25519');
const land = new KeyRing('land', generateKeyPairSync('ed25519').privateKey, new Map([['tax', tax.publicKey]]));
const verifier = new EnvelopeVerifier(land, AccessTable.fromContracts());

function letter(kind: string, key = tax.privateKey, extra: Partial<DeadLetter> = {}): DeadLetter {
  const envelope = signEnvelope({
    messageId: newMessageId(), correlationId: '000.00.31.H99-260701-0001', sender: 'tax', recipient: 'land', messageType: 'tax.payment-confirmed',
    schemaVersion: 1, issuedAt: new Date().toISOString(), officerId: null, payload: { noticeNumber: 'TB-1', receiptNumber: 'BL-1', amount: 1, paidAt: new Date().toISOString() },
  }, key);
  return {
    position: '0:1', reason: 'x', kind, originalTopic: 'onestop.handoff.land', deadLetteredAt: '', messageId: envelope.messageId, messageType: envelope.messageType,
    sender: 'tax', correlationId: envelope.correlationId, appliedSince: false, record: null,
    message: { topic: 'onestop.handoff.land.dead-letter', partition: 0, offset: '1', key: envelope.correlationId, value: Buffer.from(JSON.stringify(envelope)), headers: {} },
    ...extra,
  };
}

test('replay never resends a forgery (a refused letter that still fails verification), nor a discarded letter', () => {
  const forged = letter('refused', generateKeyPairSync('ed25519').privateKey);
  assert.match(replayRefusal(forged, verifier) ?? '', /^still fails verification: bad signature/);
  // a refused letter that verifies now (the sender's new key was installed since) may go
  assert.equal(replayRefusal(letter('refused'), verifier), null);
  const discarded = letter('failed', tax.privateKey, {
    record: { status: DeadLetterStatus.DISCARDED, resolvedBy: 'ops.nguyen', resolution: 'obsolete' } as DeadLetter['record'],
  });
  assert.equal(replayRefusal(discarded, verifier), 'discarded by ops.nguyen: obsolete');
  const open = letter('failed', tax.privateKey, { record: { status: DeadLetterStatus.OPEN } as DeadLetter['record'] });
  assert.equal(replayRefusal(open, verifier), null);
  const hashed = letter('refused');
  hashed.message.headers['x-original-omitted'] = 'too large';
  assert.match(replayRefusal(hashed, verifier) ?? '', /only its hash/);
});

test('dead-letters discard releases the dossier\'s held messages; replay then resends neither the discarded letter nor the forgery', async () => {
  const env = { DATA_DIR: tempDir('dead-letters-cli') } as NodeJS.ProcessEnv;
  const definition = DEFINITIONS.land;
  const keysDir = path.join(env.DATA_DIR!, 'keys');
  ensureDevKeys(keysDir, MEMBERS);
  const bus = new EmbeddedTransport(path.join(env.DATA_DIR!, 'bus.sqlite'), 5);
  const database = await openDatabase({ config: databaseConfig('land', env), entities: entitiesOf(definition), migrations: migrationsOf(definition) });
  const node = new HandoffNode({
    member: 'land', dataSource: database.dataSource, transport: bus, keys: KeyRing.fromDirectory('land', keysDir), log: () => undefined, heldSweepMs: 50,
    handlers: {
      'tax.payment-confirmed': async ({ envelope }) => {
        if ((envelope.payload as { noticeNumber: string }).noticeNumber === 'REFUSE') throw new HandoffRejection('no such notice');
      },
    },
  });
  const taxKey = KeyRing.fromDirectory('tax', keysDir).privateKey;
  const send = (correlationId: string, noticeNumber: string, key = taxKey) => signEnvelope({
    messageId: newMessageId(), correlationId, sender: 'tax', recipient: 'land', messageType: 'tax.payment-confirmed', schemaVersion: 1,
    issuedAt: new Date().toISOString(), officerId: null, payload: { noticeNumber, receiptNumber: 'BL-1', amount: 1, paidAt: new Date().toISOString() },
  }, key);
  const dossier = '000.00.31.H99-260702-0001';
  const refused = send(dossier, 'REFUSE');
  const waiting = send(dossier, 'TB-2');
  const forged = send('000.00.31.H99-260702-0002', 'TB-3', generateKeyPairSync('ed25519').privateKey);
  const applied = async (id: string) => (await database.dataSource.getRepository(InboxMessage).countBy({ messageId: id })) > 0;
  try {
    await node.start();
    await bus.publish([refused, waiting, forged].map((e) => ({ topic: topicFor('land'), key: e.correlationId, value: JSON.stringify(e) })));
    let letters: DeadLetter[] = [];
    for (let i = 0; i < 200 && letters.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      letters = await listDeadLetters(bus, definition, env);
    }
    assert.equal(letters.length, 2);
    const open = letters.find((l) => l.messageId === refused.messageId)!;
    assert.equal(open.record?.status, 'OPEN');
    assert.equal(await applied(waiting.messageId), false, 'held behind the dead letter');
    await assert.rejects(discardLetter(definition, letters.find((l) => l.messageId === forged.messageId)!, 'ops.nguyen', 'spam', env), /failed verification/);
    await discardLetter(definition, open, 'ops.nguyen', 'the notice was cancelled', env);
    for (let i = 0; i < 200 && !(await applied(waiting.messageId)); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.equal(await applied(waiting.messageId), true, 'released once discarded');
    const { replayed, skipped } = await replayChecked(bus, definition, await listDeadLetters(bus, definition, env), 'ops.nguyen', env);
    assert.deepEqual(replayed, []);
    assert.equal(skipped.length, 2);
    assert.ok(skipped.some((s) => /^still fails verification: bad signature/.test(s.why)));
    assert.ok(skipped.some((s) => s.why === 'discarded by ops.nguyen: the notice was cancelled'));
    assert.equal(await applied(refused.messageId), false);
  } finally {
    await node.stop();
    await database.dataSource.destroy();
    await bus.close();
  }
}, 30_000);
