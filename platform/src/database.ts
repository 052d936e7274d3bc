import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DataSource, EntityManager, Logger, MixedList, EntitySchema } from 'typeorm';
import { DatabaseConfig, describeDatabase } from './config';
import { applyLargeTextColumns, SnakeNamingStrategy } from './schema';
import { serializeSqliteConnection } from './sqlite-serial';

/** Counts the SQL statements a data source sends; tests use it to prove batching. */
export class QueryCounter implements Logger {
  count = 0;
  readonly recent: string[] = [];
  logQuery(query: string): void {
    // The handoff relay and inbox work in the background; they are not part of any request. The personal data access
    // log adds one multi-row INSERT per request, whatever the number of entities read: not a read to batch.
    if (query.includes('handoff_') || query.startsWith('INSERT INTO `personal_data_access`') || query.startsWith('INSERT INTO "personal_data_access"')) return;
    this.count++;
    this.recent.push(query);
    if (this.recent.length > 200) this.recent.shift();
  }
  logQueryError(error: string | Error, query: string): void {
    if (process.env.LOG_SQL_ERRORS) console.error('[sql error]', String(error), query);
  }
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
  reset(): void {
    this.count = 0;
    this.recent.length = 0;
  }
}

export interface DatabaseOptions {
  config: DatabaseConfig;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

export interface Database {
  dataSource: DataSource;
  queries: QueryCounter;
  description: string;
}

/** MariaDB names its Vietnamese collation differently from MySQL 8; pick what the server has. */
async function pickCollation(connection: mysql.Connection): Promise<string> {
  for (const candidate of [process.env.DB_COLLATION, 'utf8mb4_vietnamese_ci', 'utf8mb4_vi_0900_ai_ci', 'utf8mb4_unicode_ci']) {
    if (!candidate) continue;
    const [rows] = await connection.query('SHOW COLLATION WHERE Collation = ?', [candidate]);
    if ((rows as unknown[]).length > 0) return candidate;
  }
  return 'utf8mb4_general_ci';
}

/** Creates the database when missing; tells whether the server is MariaDB (TypeORM reads its catalogue differently). */
async function ensureMysqlDatabase(config: Extract<DatabaseConfig, { kind: 'mysql' }>): Promise<{ mariadb: boolean }> {
  const connection = await mysql.createConnection({
    host: config.host, port: config.port, user: config.user, password: config.password,
  });
  try {
    const collation = await pickCollation(connection);
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${config.database}\` CHARACTER SET utf8mb4 COLLATE ${collation}`,
    );
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return { mariadb: /mariadb/i.test(String((rows as { version: string }[])[0]?.version)) };
  } finally {
    await connection.end();
  }
}

/** Opens the subgraph's database (creating it when missing) and applies pending migrations. Never `synchronize`. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { config } = options;
  const queries = new QueryCounter();
  let dataSource: DataSource;
  if (config.kind === 'mysql') {
    const server = await ensureMysqlDatabase(config);
    dataSource = new DataSource({
      type: server.mariadb ? 'mariadb' : 'mysql',
      host: config.host,
      port: config.port,
      username: config.user,
      password: config.password,
      database: config.database,
      charset: 'utf8mb4',
      timezone: 'Z',
      dateStrings: ['DATE'],
      supportBigNumbers: true,
      bigNumberStrings: false,
      poolSize: Number(process.env.DB_POOL_SIZE || 10),
      // mysql2 captures a stack trace for every query by default: ~7 % of the handoff path's CPU; our errors say the SQL.
      extra: { trace: false },
      entities: options.entities,
      migrations: options.migrations,
      migrationsTransactionMode: 'each',
      logging: ['query', 'error'],
      logger: queries,
      synchronize: false,
      namingStrategy: new SnakeNamingStrategy(),
    });
  } else {
    if (config.file !== ':memory:') fs.mkdirSync(path.dirname(config.file), { recursive: true });
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: config.file,
      enableWAL: config.file !== ':memory:',
      // Prepared statements kept per connection (TypeORM's default 100 is FIFO, and the loaders' IN lists of 1…N keys
      // and the filters' combinations give more shapes than that, so statements were prepared again and again).
      statementCacheSize: 2000,
      entities: options.entities,
      migrations: options.migrations,
      migrationsTransactionMode: 'each',
      logging: ['query', 'error'],
      logger: queries,
      synchronize: false,
      namingStrategy: new SnakeNamingStrategy(),
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 5000');
        db.pragma('synchronous = NORMAL');
      },
    });
  }
  await dataSource.initialize();
  applyLargeTextColumns(dataSource);
  if (config.kind !== 'mysql') serializeSqliteConnection(dataSource);
  await dataSource.runMigrations();
  queries.reset();
  return { dataSource, queries, description: describeDatabase(config) };
}

/** SQL the entities would still need after the migrations ran: empty when migrations and entities agree. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

/** Drops a MySQL database (tests only). */
export async function dropMysqlDatabase(config: DatabaseConfig): Promise<void> {
  if (config.kind !== 'mysql') return;
  const connection = await mysql.createConnection({
    host: config.host, port: config.port, user: config.user, password: config.password,
  });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${config.database}\``);
  } finally {
    await connection.end();
  }
}

/** A row lock for read-modify-write inside a transaction; SQLite has one writer at a time and needs none. */
export function rowLock(manager: EntityManager): { mode: 'pessimistic_write' } | undefined {
  return manager.connection.options.type === 'better-sqlite3' ? undefined : { mode: 'pessimistic_write' };
}
