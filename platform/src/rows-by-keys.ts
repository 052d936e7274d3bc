import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { DataSource, EntityMetadata, EntityTarget, FindOptionsOrder, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { In, IsNull } from 'typeorm';

/** One more condition of a keyed read: `property = value`, or `IS NULL` for null. */
export type KeyedCondition = string | number | boolean | null;

export interface KeyedRead<T> {
  /** The rows whose `key` is one of `keys`. */
  key: keyof T & string;
  keys: readonly unknown[];
  where?: Partial<Record<keyof T & string, KeyedCondition>>;
  order?: Partial<Record<keyof T & string, 'ASC' | 'DESC'>>;
}

interface Compiled {
  sql: string;
  metadata: EntityMetadata;
  /** The selected columns, in the order of the SELECT (aliased c0, c1…). */
  columns: ColumnMetadata[];
  /** The columns of the `where` conditions, in order (their values are the parameters after the keys, nulls left out). */
  conditions: ColumnMetadata[];
}

/** Per data source: the SQL of each shape (entity, key, conditions, order, number of keys), built once. */
const compiledBy = new WeakMap<DataSource, Map<string, Compiled | null>>();
const SHAPES_PER_SOURCE = 5_000;

/**
 * Rows by a list of keys, for the per-request loaders (`WHERE key IN (…) AND … ORDER BY …`). Same rows, same entity
 * objects as `repository.find({ where: { [key]: In(keys), ...where }, order })`, without TypeORM's query builder, which
 * cost more CPU per call than the query itself: the SQL is built once per shape and the rows are hydrated column by
 * column the way TypeORM does (its driver's `prepareHydratedValue`, transformers included). What this cannot express
 * the same way (relations, embedded columns, other drivers) goes through `find`.
 */
export async function rowsByKeys<T extends ObjectLiteral>(db: DataSource, entity: EntityTarget<T>, read: KeyedRead<T>): Promise<T[]> {
  if (!read.keys.length) return [];
  const where = Object.entries(read.where ?? {}) as [string, KeyedCondition][];
  const compiled = compile(db, entity, read, where);
  if (!compiled) {
    return db.getRepository(entity).find({
      where: { ...Object.fromEntries(where.map(([p, v]) => [p, v === null ? IsNull() : v])), [read.key]: In([...read.keys]) } as FindOptionsWhere<T>,
      order: read.order as FindOptionsOrder<T>,
    });
  }
  const parameters: unknown[] = [...read.keys];
  for (let i = 0; i < where.length; i++) {
    if (where[i][1] !== null) parameters.push(db.driver.preparePersistentValue(where[i][1], compiled.conditions[i]));
  }
  const raw = (await db.query(compiled.sql, parameters)) as Record<string, unknown>[];
  const { metadata, columns } = compiled;
  const rows: T[] = new Array(raw.length);
  for (let r = 0; r < raw.length; r++) {
    const row = raw[r];
    const target = metadata.create(undefined, { fromDeserializer: true }) as T;
    for (let c = 0; c < columns.length; c++) {
      const value = row[`c${c}`];
      if (value !== undefined) columns[c].setEntityValue(target, db.driver.prepareHydratedValue(value, columns[c]));
    }
    rows[r] = target;
  }
  return rows;
}

function compile<T extends ObjectLiteral>(db: DataSource, entity: EntityTarget<T>, read: KeyedRead<T>, where: [string, KeyedCondition][]): Compiled | null {
  let shapes = compiledBy.get(db);
  if (!shapes) compiledBy.set(db, (shapes = new Map()));
  const metadata = db.getMetadata(entity);
  const orderEntries = Object.entries(read.order ?? {}) as [string, 'ASC' | 'DESC'][];
  const shape = `${metadata.name}|${read.key}|${read.keys.length}|${where.map(([p, v]) => `${p}${v === null ? ' null' : ''}`)}|${orderEntries}`;
  let compiled = shapes.get(shape);
  if (compiled === undefined) {
    compiled = build(db, metadata, read.key, read.keys.length, where, orderEntries);
    if (shapes.size >= SHAPES_PER_SOURCE) shapes.clear();
    shapes.set(shape, compiled);
  }
  return compiled;
}

function build(
  db: DataSource,
  metadata: EntityMetadata,
  key: string,
  keyCount: number,
  where: [string, KeyedCondition][],
  order: [string, 'ASC' | 'DESC'][],
): Compiled | null {
  const type = db.options.type;
  if (type !== 'better-sqlite3' && type !== 'mysql' && type !== 'mariadb') return null;
  if (metadata.relations.length || metadata.embeddeds.length || metadata.inheritanceTree.length > 1) return null;
  // find tells listeners and subscribers of each row it loads; this does not.
  if (metadata.afterLoadListeners.length || db.subscribers.length) return null;
  const byProperty = (property: string) => metadata.columns.find((c) => c.propertyName === property && !c.isVirtual);
  const keyColumn = byProperty(key);
  const conditionColumns = where.map(([property]) => byProperty(property));
  const orderColumns = order.map(([property]) => byProperty(property));
  // A transformer on a compared column would change the parameters; find applies it, so let find do it.
  if (!keyColumn || keyColumn.transformer || conditionColumns.some((c) => !c || c.transformer) || orderColumns.some((c) => !c)) return null;
  const columns = metadata.columns.filter((c) => c.isSelect && !c.isVirtual);
  const escape = (name: string) => db.driver.escape(name);
  const table = metadata.tablePath.split('.').map(escape).join('.');
  const conditions = [
    `${escape(keyColumn.databaseName)} IN (${new Array(keyCount).fill('?').join(', ')})`,
    ...where.map(([, value], i) => `${escape(conditionColumns[i]!.databaseName)} ${value === null ? 'IS NULL' : '= ?'}`),
  ];
  const orderBy = order.map(([, direction], i) => `${escape(orderColumns[i]!.databaseName)} ${direction === 'DESC' ? 'DESC' : 'ASC'}`);
  const sql = `SELECT ${columns.map((c, i) => `${escape(c.databaseName)} AS ${escape(`c${i}`)}`).join(', ')} FROM ${table}`
    + ` WHERE ${conditions.join(' AND ')}${orderBy.length ? ` ORDER BY ${orderBy.join(', ')}` : ''}`;
  return { sql, metadata, columns, conditions: conditionColumns as ColumnMetadata[] };
}
