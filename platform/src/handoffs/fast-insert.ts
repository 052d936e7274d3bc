import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { OutboxMessage } from './entities';
import { maxMessageBytes } from './envelope';

const statements = new WeakMap<object, Map<number, string>>();

/**
 * A multi-row INSERT for the handoff hot path (outbox, inbox, log): the same column mapping and value conversion as
 * TypeORM's insert, without its query builder, which costs more CPU than the database does for these small rows.
 * Generated columns (auto-increment ids) are left to the database. Outbox rows over HANDOFF_MAX_MESSAGE_BYTES are
 * refused here with HandoffTooLargeError, so no record the bus would refuse is ever queued.
 */
export async function fastInsert<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: Partial<T>[]): Promise<void> {
  if (!rows.length) return;
  if (target === OutboxMessage) {
    // loaded here, not at the top: size.ts needs node.ts, which loads this file first
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { checkHandoffSize } = require('./size') as typeof import('./size');
    const limit = maxMessageBytes();
    for (const row of rows as Partial<OutboxMessage>[]) checkHandoffSize(row.messageType ?? 'handoff', row.envelope ?? '', limit);
  }
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter((c) => !c.isGenerated);
  let cache = statements.get(metadata);
  if (!cache) statements.set(metadata, (cache = new Map()));
  let sql = cache.get(rows.length);
  if (!sql) {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    sql = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES ${Array(rows.length).fill(tuple).join(', ')}`;
    if (rows.length <= 64) cache.set(rows.length, sql);
  }
  const parameters: unknown[] = [];
  for (const row of rows) {
    for (const column of columns) {
      let value = column.getEntityValue(row as ObjectLiteral);
      if (value === undefined) value = column.default ?? null;
      parameters.push(driver.preparePersistentValue(value, column));
    }
  }
  await manager.query(sql, parameters);
}
