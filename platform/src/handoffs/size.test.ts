import { afterAll, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { databaseConfig } from '../config';
import { dropMysqlDatabase, openDatabase } from '../database';
import { mysqlTestUrl, runId, testWith } from '../testing';
import { EmbeddedTransport } from './embedded-transport';
import { HANDOFF_ENTITIES, OutboxMessage } from './entities';
import { HANDOFF_MIGRATIONS } from './migration';
import { ensureDevKeys, KeyRing } from './keys';
import { MEMBERS } from './contracts';
import { HandoffNode, sendFromInput } from './node';
import { maxMessageBytes } from './envelope';
import { checkHandoffSize, HandoffTooLargeError } from './size';
import { statusReport } from './status';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-handoff-size-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the limit: 1,000,000 bytes by default, HANDOFF_MAX_MESSAGE_BYTES otherwise, nonsense refused; bytes, not characters', () => {
  assert.equal(maxMessageBytes({}), 1_000_000);
  assert.equal(maxMessageBytes({ HANDOFF_MAX_MESSAGE_BYTES: '2048' }), 2048);
  for (const bad of ['1e9', 'abc', '100', '20000000']) assert.throws(() => maxMessageBytes({ HANDOFF_MAX_MESSAGE_BYTES: bad }), /HANDOFF_MAX_MESSAGE_BYTES/);
  checkHandoffSize('t', 'a'.repeat(2048), 2048);
  // 700 characters, 2,100 bytes in UTF-8
  assert.throws(() => checkHandoffSize('t', 'ữ'.repeat(700), 2048), (error: unknown) => error instanceof HandoffTooLargeError && error.bytes === 2100 && error.limit === 2048);
});

test('a handoff over the limit is refused at send with a typed error and never reaches the outbox; from an input it is BAD_USER_INPUT', async () => {
  const keysDir = path.join(dir, 'keys');
  ensureDevKeys(keysDir, MEMBERS);
  const bus = new EmbeddedTransport(path.join(dir, 'bus.sqlite'), 5);
  const database = await openDatabase({ config: { kind: 'sqlite', file: path.join(dir, 'land.sqlite') }, entities: HANDOFF_ENTITIES, migrations: HANDOFF_MIGRATIONS });
  const node = new HandoffNode({ member: 'land', dataSource: database.dataSource, transport: bus, keys: KeyRing.fromDirectory('land', keysDir), handlers: {} });
  const saved = process.env.HANDOFF_MAX_MESSAGE_BYTES;
  process.env.HANDOFF_MAX_MESSAGE_BYTES = '2048';
  try {
    const report = (reason: string) => statusReport({ dossierCode: '000.00.31.H99-260701-0042', statusCode: 4, status: 'IN_APPRAISAL', unitCode: 'land', reason });
    // a reason the contract allows (1,000 characters) but 3,000 bytes in UTF-8
    const tooLarge = report('ữ'.repeat(1000));
    await assert.rejects(
      database.dataSource.transaction((manager) => node.send(manager, tooLarge)),
      (error: unknown) => error instanceof HandoffTooLargeError && error.messageType === 'dossier.status-changed' && error.bytes > 3000 && error.limit === 2048,
    );
    await assert.rejects(
      database.dataSource.transaction((manager) => sendFromInput(node, manager, tooLarge, 'input')),
      (error: unknown) => error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT' && error.extensions.field === 'input' && /too large/.test(String(error.extensions.reason)),
    );
    assert.equal(await database.dataSource.getRepository(OutboxMessage).count(), 0, 'nothing queued');
    await database.dataSource.transaction((manager) => node.send(manager, report('ok')));
    assert.equal(await database.dataSource.getRepository(OutboxMessage).count(), 1, 'a handoff under the limit is queued');
  } finally {
    if (saved === undefined) delete process.env.HANDOFF_MAX_MESSAGE_BYTES;
    else process.env.HANDOFF_MAX_MESSAGE_BYTES = saved;
    await database.dataSource.destroy();
    await bus.close();
  }
});

testWith(['mysql'], 'MariaDB: the outbox holds an envelope of the largest size allowed (over TEXT\'s 64 KB)', async () => {
  const config = databaseConfig('outbox-size', { DB_URL: mysqlTestUrl(), DB_PREFIX: `size_${runId()}` });
  const database = await openDatabase({ config, entities: HANDOFF_ENTITIES, migrations: HANDOFF_MIGRATIONS });
  try {
    const envelope = JSON.stringify({ payload: 'x'.repeat(maxMessageBytes({}) - 20) });
    assert.equal(Buffer.byteLength(envelope), 999_994);
    await database.dataSource.getRepository(OutboxMessage).insert({
      messageId: '7d0f2a4e-0000-4000-8000-000000000001', topic: 't', messageKey: 'k', recipient: 'single-window', messageType: 'dossier.status-changed',
      officerId: null, envelope, createdAt: new Date(), sentAt: null, attempts: 0, requestId: null,
    });
    const stored = await database.dataSource.getRepository(OutboxMessage).findOneByOrFail({ messageKey: 'k' });
    assert.equal(stored.envelope.length, envelope.length);
  } finally {
    await database.dataSource.destroy();
    await dropMysqlDatabase(config);
  }
});
