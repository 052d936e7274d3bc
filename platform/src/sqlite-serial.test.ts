import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './database';
import { HANDOFF_ENTITIES, HANDOFF_MIGRATIONS, InboxMessage } from './handoffs';
import { outsideTransaction } from './sqlite-serial';

const row = (messageId: string) => ({ messageId, correlationId: 'c', sender: 's', messageType: 't', officerId: null, appliedAt: new Date() });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function open() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-serial-'));
  const database = await openDatabase({ config: { kind: 'sqlite', file: path.join(dir, 'db.sqlite') }, entities: HANDOFF_ENTITIES, migrations: HANDOFF_MIGRATIONS });
  return {
    dataSource: database.dataSource,
    ids: async () => (await database.dataSource.getRepository(InboxMessage).find({ order: { messageId: 'ASC' } })).map((r) => r.messageId),
    close: async () => {
      await database.dataSource.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('SQLite: a transaction that rolls back does not take a concurrent one, or a plain insert, with it', async () => {
  const db = await open();
  try {
    const failing = db.dataSource.transaction(async (manager) => {
      await manager.insert(InboxMessage, row('a-rolled-back'));
      await pause(30);
      throw new Error('handler failed');
    });
    await pause(5);
    const succeeding = db.dataSource.transaction(async (manager) => {
      await manager.insert(InboxMessage, row('b-committed'));
      await pause(5);
      await manager.insert(InboxMessage, row('c-committed'));
    });
    const plain = db.dataSource.getRepository(InboxMessage).insert(row('d-plain'));
    const results = await Promise.allSettled([failing, succeeding, plain]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled', 'fulfilled']);
    assert.deepEqual(await db.ids(), ['b-committed', 'c-committed', 'd-plain']);
  } finally {
    await db.close();
  }
});

test('SQLite: a read outside the transaction does not see its uncommitted rows; a nested transaction is a savepoint', async () => {
  const db = await open();
  try {
    let seenFromOutside: string[] | undefined;
    await db.dataSource.transaction(async (manager) => {
      await manager.insert(InboxMessage, row('a'));
      const outside = outsideTransaction(() => db.ids().then((ids) => (seenFromOutside = ids)));
      await pause(10);
      assert.equal(seenFromOutside, undefined, 'the outside read waits for the transaction');
      await db.dataSource.transaction(async (inner) => inner.insert(InboxMessage, row('b'))).catch(() => undefined);
      await manager.transaction(async (inner) => {
        await inner.insert(InboxMessage, row('c'));
        throw new Error('inner rolls back');
      }).catch(() => undefined);
      void outside;
    });
    await pause(5);
    assert.deepEqual(seenFromOutside, ['a', 'b']);
    assert.deepEqual(await db.ids(), ['a', 'b']);
  } finally {
    await db.close();
  }
});

test('SQLite: a timer set inside a transaction, outside its scope, waits for the commit', async () => {
  const db = await open();
  try {
    let seenByTimer: string[] | undefined;
    await db.dataSource.transaction(async (manager) => {
      await manager.insert(InboxMessage, row('a'));
      outsideTransaction(() => setTimeout(() => void db.ids().then((ids) => (seenByTimer = ids)), 1));
      await pause(20);
      assert.equal(seenByTimer, undefined);
      await manager.insert(InboxMessage, row('b'));
    });
    await pause(10);
    assert.deepEqual(seenByTimer, ['a', 'b']);
  } finally {
    await db.close();
  }
});
