import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from '@jest/globals';
import { mysqlTestUrl, testWith } from './testing';
import assert from 'node:assert/strict';
import { Column, DataSource, Entity, In, IsNull, MigrationInterface, PrimaryColumn, PrimaryGeneratedColumn, QueryRunner } from 'typeorm';
import { databaseConfig, DatabaseConfig } from './config';
import { dropMysqlDatabase, openDatabase } from './database';
import { decimalToNumber } from './money';
import { column, table } from './schema';
import { rowsByKeys } from './rows-by-keys';

enum Kind {
  LAND = 'LAND',
  FEE = 'FEE',
}

@Entity('keyed_parcel')
class Parcel {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'decimal', precision: 12, scale: 1, transformer: decimalToNumber })
  area!: number;
}

@Entity('keyed_charge')
class Charge {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 20, nullable: true })
  parcelId!: string | null;

  @Column({ type: 'varchar', length: 10 })
  kind!: Kind;

  @Column({ type: 'boolean', default: false })
  paid!: boolean;

  @Column({ type: 'date' })
  dueDate!: string;

  @Column({ type: 'datetime', nullable: true })
  paidAt!: Date | null;

  @Column({ type: 'decimal', precision: 18, scale: 0, nullable: true, transformer: decimalToNumber })
  amount!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true, select: false })
  internalNote!: string | null;
}

class KeyedTables1700000000000 implements MigrationInterface {
  name = 'KeyedTables1700000000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(table('keyed_parcel', [column.key('id', 20), column.string('name', 100), column.decimal('area', 12, 1)]));
    await runner.createTable(table('keyed_charge', [
      column.increments(), column.string('parcel_id', 20, { nullable: true }), column.string('kind', 10), column.boolean('paid', { default: false }),
      column.date('due_date'), column.datetime('paid_at', { nullable: true }), column.decimal('amount', 18, 0, { nullable: true }),
      column.string('internal_note', 200, { nullable: true }),
    ]));
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('keyed_charge');
    await runner.dropTable('keyed_parcel');
  }
}

async function withData(config: DatabaseConfig, check: (db: DataSource) => Promise<void>) {
  const { dataSource } = await openDatabase({ config, entities: [Parcel, Charge], migrations: [KeyedTables1700000000000] });
  try {
    await dataSource.getRepository(Parcel).insert([
      { id: 'P1', name: 'Thửa 12, tờ 3', area: 152.5 },
      { id: 'P2', name: 'Thửa 7, tờ 1', area: 80 },
      { id: 'P3', name: 'Đất ở đô thị', area: 1200.1 },
    ]);
    const charges: Partial<Charge>[] = [];
    for (let i = 0; i < 40; i++) {
      charges.push({
        parcelId: i % 7 === 6 ? null : `P${(i % 3) + 1}`,
        kind: i % 2 ? Kind.LAND : Kind.FEE,
        paid: i % 4 === 0,
        dueDate: `2026-0${(i % 9) + 1}-1${i % 10}`,
        paidAt: i % 3 === 0 ? new Date(Date.UTC(2026, i % 12, 1 + (i % 27), 8, i % 60, 5)) : null,
        amount: i % 5 === 4 ? null : 1_000_000 * i + 500,
        internalNote: `note ${i}`,
      });
    }
    await dataSource.getRepository(Charge).insert(charges);
    await check(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** The same rows, the same objects and the same order as TypeORM's find, for every shape the loaders use. */
async function sameAsFind(db: DataSource) {
  const parcels = db.getRepository(Parcel);
  const charges = db.getRepository(Charge);
  for (const ids of [['P1'], ['P3', 'P1', 'missing'], ['P2', 'P2']]) {
    const fast = await rowsByKeys(db, Parcel, { key: 'id', keys: ids, order: { id: 'ASC' } });
    assert.deepEqual(fast, await parcels.find({ where: { id: In(ids) }, order: { id: 'ASC' } }), `parcels ${ids}`);
    assert.ok(fast.every((p) => p instanceof Parcel));
  }
  assert.deepEqual(await rowsByKeys(db, Parcel, { key: 'id', keys: [] }), []);
  // Those reads went around the query builder: one plain statement each, built once per shape.
  const statements: string[] = [];
  const query = db.query.bind(db);
  db.query = ((sql: string, parameters?: unknown[]) => (statements.push(sql), query(sql, parameters))) as typeof db.query;
  await rowsByKeys(db, Parcel, { key: 'id', keys: ['P1', 'P2'], order: { id: 'ASC' } });
  await rowsByKeys(db, Charge, { key: 'parcelId', keys: ['P1'], where: { paid: true } });
  db.query = query;
  assert.equal(statements.length, 2);
  assert.match(statements[0], /^SELECT .* AS [`"]c0[`"].* FROM [`"]keyed_parcel[`"] WHERE [`"]id[`"] IN \(\?, \?\) ORDER BY [`"]id[`"] ASC$/);
  assert.match(statements[1], /WHERE [`"]parcel_id[`"] IN \(\?\) AND [`"]paid[`"] = \?$/);
  const reads: { keys: string[]; where: Partial<Record<'paid' | 'kind' | 'amount', boolean | string | null>>; order: Record<string, 'ASC' | 'DESC'> }[] = [
    { keys: ['P1', 'P2'], where: {}, order: { dueDate: 'DESC', id: 'DESC' } },
    { keys: ['P1', 'P2', 'P3'], where: { paid: true }, order: { id: 'ASC' } },
    { keys: ['P3'], where: { paid: false, kind: Kind.LAND }, order: { paidAt: 'ASC', id: 'ASC' } },
    { keys: ['P2', 'P3'], where: { amount: null }, order: { id: 'DESC' } },
  ];
  for (const read of reads) {
    const fast = await rowsByKeys(db, Charge, { key: 'parcelId', keys: read.keys, where: read.where as Partial<Record<keyof Charge, boolean | string | null>>, order: read.order });
    const where = Object.fromEntries(Object.entries(read.where).map(([p, v]) => [p, v === null ? IsNull() : v]));
    const expected = await charges.find({ where: { ...where, parcelId: In([...read.keys]) }, order: read.order });
    assert.ok(fast.length > 0, `charges ${JSON.stringify(read)}: rows`);
    assert.deepEqual(fast, expected, `charges ${JSON.stringify(read)}`);
    assert.ok(fast.every((c) => typeof c.paid === 'boolean' && c instanceof Charge && !('internalNote' in c)));
  }
  // The same shape again with other values reuses the SQL and still binds the new ones.
  const paid = await rowsByKeys(db, Charge, { key: 'parcelId', keys: ['P1'], where: { paid: true }, order: { id: 'ASC' } });
  const unpaid = await rowsByKeys(db, Charge, { key: 'parcelId', keys: ['P1'], where: { paid: false }, order: { id: 'ASC' } });
  assert.ok(paid.every((c) => c.paid) && unpaid.every((c) => !c.paid) && paid.length && unpaid.length);
}

test('rowsByKeys reads what find reads (SQLite)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-keyed-'));
  try {
    await withData({ kind: 'sqlite', file: path.join(dir, 'keyed.sqlite') }, sameAsFind);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

testWith(['mysql'], 'rowsByKeys reads what find reads (MariaDB)', async () => {
  const url = mysqlTestUrl()!;
  const config = databaseConfig('keyed', { DB_URL: url, DB_PREFIX: `keyed_${process.pid}` });
  await dropMysqlDatabase(config);
  try {
    await withData(config, sameAsFind);
  } finally {
    await dropMysqlDatabase(config);
  }
});
