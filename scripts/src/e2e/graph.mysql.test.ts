import { databaseConfig, dropMysqlDatabase } from '@onestop/platform';
import { graphSuite } from './graph-suite';
import { SUBGRAPHS } from '../stack/subgraphs';
import { describeWith, mysqlTestUrl, runId } from '../testing/helpers';

describeWith(['mysql'], 'the federated graph on MariaDB', () => {
  const env = { DB_URL: mysqlTestUrl(), DB_PREFIX: `e2e_${runId()}` };
  graphSuite('MariaDB', () => ({
    env,
    basePort: 14200,
    cleanup: async () => {
      for (const { name } of SUBGRAPHS) await dropMysqlDatabase(databaseConfig(name, env));
    },
  }));
});
