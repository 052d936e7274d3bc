import path from 'node:path';
import { test } from 'node:test';
import { databaseConfig, dropMysqlDatabase } from '@onestop/platform';
import { handoffSuite } from './handoffs-suite';
import { SUBGRAPHS } from '../subgraphs';
import { mysqlTestUrl, runId, tempDir } from '../testing';

// The production shape: Apache Kafka between the agencies and one MariaDB database each.
const mysql = mysqlTestUrl();
const brokers = process.env.TEST_KAFKA_BROKERS;
if (mysql && brokers) {
  const id = runId();
  // Topics of this run only, so earlier runs' messages and dead letters do not mix in (read by the test's own clients too).
  process.env.HANDOFF_TOPIC_PREFIX = `test${id}`;
  const dir = tempDir('handoffs-kafka');
  const env = {
    DB_URL: mysql, DB_PREFIX: `handoffs_${id}`, KAFKA_BROKERS: brokers, HANDOFF_TOPIC_PREFIX: `test${id}`, HANDOFF_PARTITIONS: '3',
    DATA_DIR: dir, HANDOFF_KEYS_DIR: path.join(dir, 'keys'),
  };
  const config = {
    env, basePort: 14500, keysDir: path.join(dir, 'keys'), kafka: true, kcat: process.env.TEST_KCAT || undefined,
    cleanup: async () => {
      for (const { name } of SUBGRAPHS) await dropMysqlDatabase(databaseConfig(name, env));
    },
  };
  handoffSuite('Apache Kafka and MariaDB', () => config);
} else {
  test('handoffs over Apache Kafka and MariaDB', (t) =>
    t.skip(`Kafka suite NOT RUN: needs ${[!mysql && 'MariaDB (TEST_MYSQL_URL)', !brokers && 'a Kafka broker (TEST_KAFKA_BROKERS)'].filter(Boolean).join(' and ')}`));
}
