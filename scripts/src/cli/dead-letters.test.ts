import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { AccessTable, DeadLetterStatus, EnvelopeVerifier, KeyRing, newMessageId, signEnvelope } from '@onestop/platform';
import { DeadLetter, replayRefusal } from './dead-letters';

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
