import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import type * as JestGlobals from '@jest/globals';
import { databaseConfig } from '../config';
import { dropMysqlDatabase, openDatabase, pendingSchemaChanges } from '../database';
import { entitiesOf, migrationsOf, SubgraphDefinition } from '../subgraph';
import { KafkaSecurity, kafkaSecurityFromEnv } from '../handoffs/kafka-security';

// What tests across the workspace share (test code only: `@onestop/platform/testing`, never loaded by a service).
// Benchmarks and CLIs use its plain helpers too, outside jest: jest's globals are loaded only when a test is declared.
const jestGlobals = (): typeof JestGlobals => require('@jest/globals') as typeof JestGlobals;

/**
 * The services suites may need. Jest's global setup (scripts/src/testing/global-setup.ts) sets each variable to what answered, or to ''
 * when nothing did; CI refuses to run without all of them.
 */
const SERVICES = {
  mysql: { variable: 'TEST_MYSQL_URL', what: 'MariaDB/MySQL (TEST_MYSQL_URL)' },
  kafka: { variable: 'TEST_KAFKA_BROKERS', what: 'a Kafka cluster (TEST_KAFKA_BROKERS, and TEST_KAFKA_SECRETS when it is secured; npm run kafka -- start)' },
  kafkaSecure: { variable: 'TEST_KAFKA_SECURE_BROKERS', what: 'a secured Kafka cluster (TEST_KAFKA_SECURE_BROKERS, TEST_KAFKA_SECURE_SECRETS; npm run kafka -- start --secure)' },
  redis: { variable: 'TEST_REDIS_URL', what: 'Redis (TEST_REDIS_URL; redis-server)' },
  s3: { variable: 'TEST_S3_ENDPOINT', what: 'an S3-compatible server (TEST_S3_ENDPOINT, TEST_S3_CREDENTIALS; npm run s3 -- start)' },
  kcat: { variable: 'TEST_KCAT', what: 'kcat (TEST_KCAT; apt-get install kcat)' },
  chromium: { variable: 'TEST_CHROMIUM', what: 'chromium (TEST_CHROMIUM; apt-get install chromium)' },
  pyyaml: { variable: 'TEST_PYYAML', what: 'python3 with PyYAML (TEST_PYYAML; apt-get install python3-yaml)' },
} as const;
export type Service = keyof typeof SERVICES;

/** What the global setup found for a service (a URL, brokers, a path), or undefined. */
export function service(name: Service): string | undefined {
  return process.env[SERVICES[name].variable] || undefined;
}

/**
 * The S3-compatible server's settings for a store (endpoint and the access key pair from TEST_S3_CREDENTIALS, a file of
 * S3_ACCESS_KEY_ID= and S3_SECRET_ACCESS_KEY= lines as `npm run s3 -- start` writes it), or undefined.
 */
export function s3TestEnv(): Record<string, string> | undefined {
  const endpoint = service('s3');
  if (!endpoint) return undefined;
  const lines = fs.readFileSync(process.env.TEST_S3_CREDENTIALS ?? '', 'utf8').split('\n');
  const value = (name: string) => lines.find((line) => line.startsWith(`${name}=`))?.slice(name.length + 1).trim() ?? '';
  return { DOCUMENT_STORE: 's3', S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: value('S3_ACCESS_KEY_ID'), S3_SECRET_ACCESS_KEY: value('S3_SECRET_ACCESS_KEY') };
}

/**
 * How a process under test reaches the Kafka suites' cluster: its brokers and, when the global setup found it secured
 * (TEST_KAFKA_SECRETS: the directory `npm run kafka -- start --secure` writes), SASL_SSL as its admin. The suites use
 * topics of their own run (HANDOFF_TOPIC_PREFIX), which they create: the contracts' ACLs name the real topics, and are
 * the secured suite's to test (kafka-security.secure.test.ts), with the agencies' own users.
 */
export function kafkaTestEnv(): NodeJS.ProcessEnv {
  const brokers = service('kafka');
  const secrets = process.env.TEST_KAFKA_SECRETS;
  if (!brokers || !secrets) return { KAFKA_BROKERS: brokers ?? '', KAFKA_SECURITY: 'plaintext' };
  return {
    KAFKA_BROKERS: brokers, KAFKA_SECURITY: 'sasl_ssl', KAFKA_USERNAME: 'admin', KAFKA_CREDENTIALS_DIR: secrets,
    KAFKA_CA_FILE: path.join(secrets, 'ca.pem'), KAFKA_TLS_SERVERNAME: 'localhost',
  };
}

/** kafkajs's ssl and sasl options for a test's own clients of the Kafka suites' cluster (none when it is plaintext). */
export function kafkaTestSecurity(): KafkaSecurity {
  return kafkaSecurityFromEnv('admin', kafkaTestEnv());
}

/** The MariaDB/MySQL server the MySQL suites use. */
export function mysqlTestUrl(): string | undefined {
  return service('mysql');
}

function missing(needs: Service[]): string | undefined {
  const absent = needs.filter((name) => !service(name));
  return absent.length ? `NOT RUN: needs ${absent.map((name) => SERVICES[name].what).join(' and ')}` : undefined;
}

/** A describe block that runs when its services answered, and is skipped, saying which were missing, when not. */
export function describeWith(needs: Service[], name: string, body: () => void): void {
  const reason = missing(needs);
  const { describe } = jestGlobals();
  if (reason) describe.skip(`${name} [${reason}]`, body);
  else describe(name, body);
}

/** A test that runs when its services answered, and is skipped, saying which were missing, when not. */
export function testWith(needs: Service[], name: string, body: () => Promise<unknown> | void, timeout?: number): void {
  const reason = missing(needs);
  const { test } = jestGlobals();
  if (reason) test.skip(`${name} [${reason}]`, () => undefined);
  else test(name, async () => { await body(); }, timeout);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `onestop-${prefix}-`));
}

/** A unique suffix for databases or ports of one test run. */
export function runId(): string {
  return `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
}

/** Migrations build exactly what the entities describe, apply once, and all revert, on the database `env` names. */
export async function checkMigrations(definition: SubgraphDefinition, env: NodeJS.ProcessEnv) {
  const config = databaseConfig(definition.name, env);
  await dropMysqlDatabase(config);
  const open = () => openDatabase({ config, entities: entitiesOf(definition), migrations: migrationsOf(definition) });
  try {
    const first = await open();
    try {
      assert.deepEqual(await pendingSchemaChanges(first.dataSource), [], `${definition.name}: entities differ from migrations`);
    } finally {
      await first.dataSource.destroy();
    }
    // opening again applies nothing twice
    const second = await open();
    try {
      const applied = await second.dataSource.query('SELECT COUNT(*) AS n FROM migrations');
      assert.equal(Number(applied[0].n), (migrationsOf(definition) as unknown[]).length);
      // and every migration can be reverted, leaving only the migrations table
      for (let i = 0; i < (migrationsOf(definition) as unknown[]).length; i++) await second.dataSource.undoLastMigration();
      const tables: { name: string }[] = await second.dataSource.query(
        config.kind === 'sqlite'
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
          : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
      );
      // (rows come from the driver's realm, not the test's: compare their names as a list of this realm)
      assert.deepEqual(Array.from(tables, (t) => t.name).filter((n) => n !== 'migrations'), []);
    } finally {
      await second.dataSource.destroy();
    }
  } finally {
    await dropMysqlDatabase(config);
  }
}

/** The migrations check of one subgraph, on SQLite and (when the global setup found it) on MariaDB. */
export function migrationTests(definition: SubgraphDefinition): void {
  const { test } = jestGlobals();
  test(`${definition.name}: migrations build exactly the entities' schema on SQLite`, async () => {
    await checkMigrations(definition, { DATA_DIR: tempDir('migrations') });
  });
  testWith(['mysql'], `${definition.name}: migrations build exactly the entities' schema on MariaDB`, async () => {
    await checkMigrations(definition, { DB_URL: mysqlTestUrl(), DB_PREFIX: `mig_${runId()}` });
  });
}
