import { afterAll, beforeAll, describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database, openDatabase } from '../database';
import { AccessTable } from './access';
import { MEMBERS, deadLetterTopicFor, topicFor } from './contracts';
import { discardDeadLetter } from './dead-letter-store';
import { EmbeddedTransport } from './embedded-transport';
import { DeadLetterRecord, HANDOFF_ENTITIES, HandoffLogEntry, HeldMessage, InboxMessage, OutboxMessage, RefusedMessage } from './entities';
import { Envelope, newMessageId, signEnvelope } from './envelope';
import { ensureDevKeys, KeyRing } from './keys';
import { HANDOFF_MIGRATIONS } from './migration';
import { deepEnvelope } from './pipeline-fixtures';
import { classifyFailure, HandoffHandlers, HandoffNode, HandoffRejection } from './node';

/** The receiving pipeline on the embedded bus: what no message may do (jam a partition, break a dossier's order, shadow another's). */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-pipeline-'));
const keysDir = path.join(dir, 'keys');
ensureDevKeys(keysDir, MEMBERS);
const bus = new EmbeddedTransport(path.join(dir, 'bus.sqlite'), 5);
const MAX_BYTES = 300_000;
const opened: { node: HandoffNode; database: Database }[] = [];
let seq = 0;
const code = () => `000.00.31.H99-260701-${String(++seq).padStart(4, '0')}`;

/** What land's handler does with a dossier: apply (default), throw this, or run a function. */
const behaviour = new Map<string, () => void>();
let land: { node: HandoffNode; database: Database };

afterAll(async () => {
  for (const { node, database } of opened) {
    await node.stop();
    await database.dataSource.destroy();
  }
  await bus.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function member(name: string, handlers: HandoffHandlers, options: { maxAttempts?: number; retryWindowMs?: number } = {}) {
  const database = await openDatabase({ config: { kind: 'sqlite', file: path.join(dir, `${name}.sqlite`) }, entities: HANDOFF_ENTITIES, migrations: HANDOFF_MIGRATIONS });
  const node = new HandoffNode({
    member: name, dataSource: database.dataSource, transport: bus, keys: KeyRing.fromDirectory(name, keysDir), handlers,
    log: () => undefined, relayIntervalMs: 10, heldSweepMs: 50, maxBytes: MAX_BYTES, ...options,
  });
  opened.push({ node, database });
  return { node, database };
}

function envelope(correlationId: string, overrides: Partial<Envelope> = {}, sender = 'tax'): Envelope {
  const keys = KeyRing.fromDirectory(sender, keysDir);
  return signEnvelope({
    messageId: newMessageId(), correlationId, sender, recipient: 'land', messageType: 'tax.payment-confirmed', schemaVersion: 1,
    issuedAt: new Date().toISOString(), officerId: null,
    payload: { noticeNumber: 'TB-1', receiptNumber: 'BL-1', amount: 1000, paidAt: new Date().toISOString() },
    ...overrides,
  } as Envelope, keys.privateKey);
}

async function publish(...values: (string | Buffer | Envelope)[]): Promise<void> {
  await bus.publish(values.map((value) => ({
    topic: topicFor('land'), key: 'k', value: typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value),
  })));
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined | false | null>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const deadLetters = () => bus.readAll(deadLetterTopicFor('land'));
const applied = async (e: Envelope) => (await land.database.dataSource.getRepository(InboxMessage).countBy({ sender: e.sender, messageId: e.messageId })) === 1;
const letterOf = async (reason: RegExp) => (await deadLetters()).find((l) => reason.test(l.headers['x-dead-letter-reason'] ?? ''));

beforeAll(async () => {
  land = await member('land', {
    'tax.payment-confirmed': async ({ envelope }) => behaviour.get(envelope.correlationId)?.(),
    'land.transfer-requested': async () => undefined,
  }, { maxAttempts: 2, retryWindowMs: 400 });
  await land.node.start();
});

describe('no message can jam a partition', () => {
  test('a 100,000-deep nested body is dead-lettered with its reason and the next message on the partition is applied', async () => {
    const next = envelope(code());
    await publish(deepEnvelope(), next);
    await eventually('next applied', () => applied(next));
    const letter = await letterOf(/nested deeper/);
    assert.ok(letter);
    assert.match(letter.headers['x-dead-letter-reason'], /^malformed: nested deeper than 32 levels/);
    assert.equal(letter.headers['x-dead-letter-kind'], 'refused');
  });

  test('a body just under the size limit is dead-lettered as its hash (the record stays under the limit); the next is applied', async () => {
    const body = `{"x":"${'a'.repeat(MAX_BYTES - 20)}"}`;
    assert.ok(Buffer.byteLength(body) < MAX_BYTES);
    const next = envelope(code());
    await publish(body, next);
    await eventually('next applied', () => applied(next));
    const letter = (await deadLetters()).find((l) => l.headers['x-original-size'] === String(Buffer.byteLength(body)));
    assert.ok(letter, 'dead-lettered in hash form');
    assert.match(letter.headers['x-dead-letter-reason'], /^malformed: envelope field messageId/);
    const record = JSON.parse(letter.value!.toString());
    assert.equal(record.size, Buffer.byteLength(body));
    assert.equal(record.sha256, letter.headers['x-original-sha256']);
    assert.equal(record.topic, topicFor('land'));
    const total = letter.value!.length + Object.entries(letter.headers).reduce((n, [k, v]) => n + k.length + v.length, 0);
    assert.ok(total < MAX_BYTES, `${total} bytes`);
  });

  test('a body over the size limit, and invalid UTF-8, are refused with their reason; the next is applied', async () => {
    const next = envelope(code());
    await publish(`{"x":"${'b'.repeat(MAX_BYTES)}"}`, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), next);
    await eventually('next applied', () => applied(next));
    assert.ok(await letterOf(/^malformed: too large: \d+ bytes, the limit is 300000/));
    const utf8 = await letterOf(/^malformed: not valid UTF-8/);
    assert.ok(utf8);
    assert.deepEqual([...utf8.value!], [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d], 'kept byte for byte');
  });

  test('a handler throwing something unexpected is retried, then dead-lettered; the next message (another dossier) is applied', async () => {
    const broken = code();
    behaviour.set(broken, () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    const bad = envelope(broken);
    const next = envelope(code());
    await publish(bad, next);
    await eventually('next applied', () => applied(next));
    const letter = await eventually('dead-lettered', async () => (await deadLetters()).find((l) => l.value?.toString().includes(bad.messageId)));
    assert.match(letter.headers['x-dead-letter-reason'], /^failed after 2 attempts: Cannot read properties/);
    assert.equal(letter.headers['x-dead-letter-kind'], 'failed');
    assert.equal(await applied(bad), false);
  });
});

describe('faults are not poison; a dossier keeps its order', () => {
  test('transient faults are told from bugs and refusals', () => {
    assert.equal(classifyFailure(Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' })), 'transient');
    assert.equal(classifyFailure({ message: 'Query failed', driverError: { code: 'ER_LOCK_DEADLOCK' } }), 'transient');
    assert.equal(classifyFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 'transient');
    assert.equal(classifyFailure(new HandoffRejection('dossier already closed')), 'rejected');
    assert.equal(classifyFailure(new TypeError('x is undefined')), 'bug');
  });

  test('a transient fault is retried past maxAttempts within the window and the message applied', async () => {
    const flaky = code();
    let failures = 4; // more than maxAttempts (2): a bug would be dead-lettered by now
    behaviour.set(flaky, () => {
      if (failures-- > 0) throw Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
    });
    const message = envelope(flaky);
    // a longer window for this one
    (land.node as unknown as { retryWindowMs: number }).retryWindowMs = 20_000;
    try {
      await publish(message);
      await eventually('applied after the faults', () => applied(message), 20_000);
      assert.equal((await deadLetters()).some((l) => l.value?.toString().includes(message.messageId)), false);
    } finally {
      (land.node as unknown as { retryWindowMs: number }).retryWindowMs = 400;
    }
  }, 30_000);

  test('later messages of a dossier wait behind its dead letter, in order, until it is discarded', async () => {
    const dossier = code();
    const order: string[] = [];
    let failing = true;
    behaviour.set(dossier, () => {
      if (failing) throw Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
    });
    const first = envelope(dossier);
    const second = envelope(dossier);
    const third = envelope(dossier);
    const other = envelope(code());
    await publish(first, second, third, other);
    await eventually('the other dossier applied', () => applied(other));
    const db = land.database.dataSource;
    const record = await eventually('dead letter recorded', () => db.getRepository(DeadLetterRecord).findOneBy({ messageId: first.messageId }));
    assert.equal(record.status, 'OPEN');
    assert.match(record.reason, /^failed after \d+ attempts: SQLITE_BUSY/);
    const held = await eventually('two held', async () => {
      const rows = await db.getRepository(HeldMessage).find({ where: { correlationId: dossier }, order: { id: 'ASC' } });
      return rows.length === 2 ? rows : undefined;
    });
    assert.deepEqual(held.map((h) => h.messageId), [second.messageId, third.messageId]);
    assert.equal(await applied(second), false);
    failing = false;
    behaviour.set(dossier, () => void order.push('x'));
    await discardDeadLetter(db, 'land', { sender: 'tax', messageId: first.messageId }, 'ops.nguyen', 'paid at the counter; message obsolete');
    await eventually('released', async () => (await applied(second)) && (await applied(third)));
    const inbox = await db.getRepository(InboxMessage).find({ where: { correlationId: dossier } });
    assert.deepEqual(inbox.map((r) => r.messageId).sort(), [second.messageId, third.messageId].sort());
    assert.equal(await applied(first), false, 'a discarded message is never applied');
    const log = await db.getRepository(HandoffLogEntry).find({ where: { correlationId: dossier }, order: { id: 'ASC' } });
    assert.deepEqual(log.map((l) => l.outcome), ['DEAD_LETTERED', 'HELD', 'HELD', 'DISCARDED']);
    assert.equal(log[3].officerId, 'ops.nguyen');
    assert.equal(await db.getRepository(HeldMessage).countBy({ correlationId: dossier }), 0);
    await assert.rejects(discardDeadLetter(db, 'land', { sender: 'tax', messageId: first.messageId }, 'ops', 'again'), /already DISCARDED/);
  }, 30_000);

  test('a replayed dead letter is applied (even past the freshness window) and releases what waited behind it', async () => {
    const dossier = code();
    behaviour.set(dossier, () => {
      throw new HandoffRejection('not yet');
    });
    const first = envelope(dossier);
    const second = envelope(dossier);
    await publish(first, second);
    const db = land.database.dataSource;
    await eventually('held', () => db.getRepository(HeldMessage).findOneBy({ messageId: second.messageId }));
    behaviour.delete(dossier);
    const letter = (await deadLetters()).find((l) => l.value?.toString().includes(first.messageId))!;
    assert.match(letter.headers['x-dead-letter-reason'], /^rejected: not yet/);
    await bus.publish([{ topic: topicFor('land'), key: dossier, value: letter.value! }]);
    await eventually('both applied', async () => (await applied(first)) && (await applied(second)));
    assert.equal((await db.getRepository(DeadLetterRecord).findOneBy({ messageId: first.messageId }))!.status, 'APPLIED');
    // the rejected sender was told, with a signed handoff.refused in land's outbox
    const refusal = await db.getRepository(OutboxMessage).findOneBy({ messageKey: dossier, messageType: 'handoff.refused' });
    assert.ok(refusal);
    assert.equal(JSON.parse(refusal.envelope).payload.refusedMessageId, first.messageId);
  });
});

describe('the envelope is a contract too', () => {
  const refusedRow = (messageId: string) => eventually('refused logged', () => land.database.dataSource.getRepository(RefusedMessage).findOneBy({ messageId }));

  test('an issuedAt that is no date, stale or in the future, a messageId that is no UUID, a correlationId that is no dossier code: refused, logged outside the dossier, the sender told', async () => {
    const dossier = code();
    const cases: [Envelope, RegExp][] = [
      [envelope(dossier, { issuedAt: 'not-a-date' }), /^envelope invalid: issuedAt must be an ISO 8601 date-time/],
      [envelope(dossier, { issuedAt: '2026-02-30T10:00:00Z' }), /^envelope invalid: issuedAt/],
      [envelope(dossier, { issuedAt: new Date(Date.now() - 8 * 86_400_000).toISOString() }), /^stale: issuedAt/],
      [envelope(dossier, { issuedAt: new Date(Date.now() + 3_600_000).toISOString() }), /^envelope invalid: issuedAt .* is in the future/],
      [envelope(dossier, { messageId: 'not-a-uuid' }), /^envelope invalid: messageId must be a UUID/],
      [envelope('dossier-7'), /^envelope invalid: correlationId must be a dossier code/],
    ];
    await publish(...cases.map(([e]) => e));
    const db = land.database.dataSource;
    for (const [e, reason] of cases) {
      const row = await refusedRow(e.messageId);
      assert.match(row.reason, reason, e.issuedAt);
      assert.equal(row.signed, true);
      assert.equal(await applied(e), false);
    }
    assert.equal(await db.getRepository(HandoffLogEntry).countBy({ correlationId: dossier }), 0, 'not in the dossier\'s message log');
    const refusals = await eventually('six refusals queued', async () => {
      const rows = await db.getRepository(OutboxMessage).findBy({ messageType: 'handoff.refused', recipient: 'tax' });
      const found = rows.map((r) => JSON.parse(r.envelope)).filter((e) => cases.some(([c]) => c.messageId === e.payload.refusedMessageId));
      return found.length === cases.length ? found : undefined;
    });
    assert.ok(refusals.every((r) => r.sender === 'land' && r.recipient === 'tax' && r.signature));
    assert.equal(refusals.find((r) => r.payload.refusedMessageId === cases[5][0].messageId).correlationId, 'NONE-000101-0000');
  });

  test('a forged message (bad signature) is refused without telling anyone, never logged in the dossier, and does not hold it', async () => {
    const dossier = code();
    const forged = { ...envelope(dossier), payload: { noticeNumber: 'TB-1', receiptNumber: 'BL-FORGED', amount: 1, paidAt: new Date().toISOString() } };
    const next = envelope(dossier);
    await publish(forged, next);
    await eventually('next applied', () => applied(next));
    const row = await refusedRow(forged.messageId);
    assert.match(row.reason, /^bad signature/);
    assert.equal(row.signed, false);
    const db = land.database.dataSource;
    assert.equal(await db.getRepository(HandoffLogEntry).countBy({ correlationId: dossier }), 0);
    assert.equal(await db.getRepository(OutboxMessage).countBy({ messageKey: dossier, messageType: 'handoff.refused' }), 0);
  });

  test('duplicates are per (sender, messageId): one sender cannot shadow another\'s message by reusing its id', async () => {
    const dossier = code();
    const mine = envelope(dossier);
    await publish(mine);
    await eventually('applied', () => applied(mine));
    // the single window sends its own message under the same id: applied, not taken for tax's duplicate
    const theirs = envelope(dossier, {
      messageId: mine.messageId, messageType: 'land.transfer-requested',
      payload: {
        procedureCode: '1.000000.000.00.00.H99', parcelId: '99001-12-345', transactionType: 'TRANSFER', transferorPersonalNumber: '001200012345',
        transfereePersonalNumber: '001200012346', contractValue: 1, filing: { applicantPersonalNumber: '001200012345', applicantEnterpriseCode: null, channel: 'COUNTER', actor: null },
      },
    }, 'single-window');
    // and tax sends its own again: that one is a duplicate
    const again = { ...mine };
    await publish(theirs, again);
    const db = land.database.dataSource;
    await eventually('the single window\'s applied', () => applied(theirs)).catch(async (error) => {
      throw new Error(`${error.message}: ${JSON.stringify(await db.getRepository(RefusedMessage).findBy({ messageId: mine.messageId }))}`);
    });
    await eventually('duplicate logged', () => db.getRepository(HandoffLogEntry).findOneBy({ messageId: mine.messageId, sender: 'tax', outcome: 'DUPLICATE_IGNORED' as never }));
    assert.equal(await db.getRepository(InboxMessage).countBy({ messageId: mine.messageId }), 2);
  });
});

describe('a member accepts handoff.refused', () => {
  test('a refusal goes back only the way messages came: no new path between agencies (nor a Kafka ACL)', () => {
    const table = AccessTable.fromContracts();
    const refuses = (sender: string, recipient: string) => table.allows({ sender, messageType: 'handoff.refused', recipient });
    assert.ok(refuses('land', 'tax') && refuses('land', 'single-window') && refuses('police', 'civil-status'));
    assert.equal(refuses('land', 'police'), false, 'police sends land nothing');
    assert.equal(refuses('police', 'tax'), false);
    assert.equal(refuses('tax', 'tax'), false);
  });

  test('the refusal is recorded in the refused sender\'s message log of the dossier', async () => {
    const tax = await member('tax', {});
    await tax.node.start();
    const dossier = code();
    const keys = KeyRing.fromDirectory('land', keysDir);
    const refusedId = newMessageId();
    const refusal = signEnvelope({
      messageId: newMessageId(), correlationId: dossier, sender: 'land', recipient: 'tax', messageType: 'handoff.refused', schemaVersion: 1,
      issuedAt: new Date().toISOString(), officerId: null,
      payload: { refusedMessageId: refusedId, refusedMessageType: 'tax.payment-notice', reason: 'schema invalid: payload.totalAmount must be >= 0', refusedAt: new Date().toISOString() },
    }, keys.privateKey);
    await bus.publish([{ topic: topicFor('tax'), key: dossier, value: JSON.stringify(refusal) }]);
    const entry = await eventually('logged', () => tax.database.dataSource.getRepository(HandoffLogEntry).findOneBy({ correlationId: dossier }));
    assert.equal(entry.outcome, 'REFUSED');
    assert.equal(entry.messageId, refusedId);
    assert.equal(entry.direction, 'SENT');
    assert.equal(entry.recipient, 'land');
    assert.match(entry.reason!, /^refused by land: schema invalid/);
  });
});

describe('heartbeats keep flowing through long batches', () => {
  test('while a transient fault is retried, the batch tells the bus it is alive every second', async () => {
    const dossier = code();
    let failures = 3;
    behaviour.set(dossier, () => {
      if (failures-- > 0) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    });
    const message = envelope(dossier);
    const beats: number[] = [];
    (land.node as unknown as { retryWindowMs: number }).retryWindowMs = 20_000;
    try {
      await land.node.handleBatch([{ topic: topicFor('land'), partition: 0, offset: '1', key: dossier, value: Buffer.from(JSON.stringify(message)), headers: {} }], async () => {
        beats.push(Date.now());
      });
    } finally {
      (land.node as unknown as { retryWindowMs: number }).retryWindowMs = 400;
    }
    assert.equal(await applied(message), true);
    // backoff 200 + 400 + 800 ms: beats between messages and during each wait
    assert.ok(beats.length >= 4, `${beats.length} heartbeats`);
  }, 30_000);
});

describe('an exception anywhere', () => {
  test('when even recording a refusal fails (not a transient fault), the message is still dead-lettered and the next applied', async () => {
    await land.database.dataSource.query('ALTER TABLE handoff_refused RENAME TO handoff_refused_gone');
    try {
      const next = envelope(code());
      await publish('{"garbage": true', next);
      await eventually('next applied', () => applied(next));
      assert.ok((await deadLetters()).some((l) => l.value?.toString() === '{"garbage": true' && /^malformed: not JSON/.test(l.headers['x-dead-letter-reason'])));
    } finally {
      await land.database.dataSource.query('ALTER TABLE handoff_refused_gone RENAME TO handoff_refused');
    }
  });
});
