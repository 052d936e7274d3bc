import { test } from 'node:test';
import { databaseConfig, dropMysqlDatabase } from '@onestop/platform';
import { graphSuite } from './graph-suite';
import { SUBGRAPHS } from '../subgraphs';
import { mysqlTestUrl, runId } from '../testing';

const url = mysqlTestUrl();
if (url) {
  const env = { DB_URL: url, DB_PREFIX: `e2e_${runId()}` };
  graphSuite('MariaDB', () => ({
    env,
    basePort: 14200,
    cleanup: async () => {
      for (const { name } of SUBGRAPHS) await dropMysqlDatabase(databaseConfig(name, env));
    },
  }));
} else {
  test('the federated graph on MariaDB', (t) => t.skip('MySQL suite NOT RUN: no MariaDB/MySQL configured (TEST_MYSQL_URL)'));
}
