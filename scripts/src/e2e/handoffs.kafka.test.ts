import path from 'node:path';
import { databaseConfig, dropMysqlDatabase } from '@onestop/platform';
import { handoffSuite } from './handoffs-suite';
import { SUBGRAPHS } from '../stack/subgraphs';
import { describeWith, kafkaTestEnv, runId, service, tempDir } from '../testing/helpers';

// The production shape: Apache Kafka (in CI a three-node SASL_SSL cluster) between the agencies and one MariaDB
// database each, and kcat as an outside agency.
describeWith(['mysql', 'kafka'], 'Apache Kafka and MariaDB', () => {
  const id = runId();
  const dir = tempDir('handoffs-kafka');
  const env = {
    DB_URL: service('mysql'), DB_PREFIX: `handoffs_${id}`, ...kafkaTestEnv(), HANDOFF_TOPIC_PREFIX: `test${id}`, HANDOFF_PARTITIONS: '3',
    DATA_DIR: dir, HANDOFF_KEYS_DIR: path.join(dir, 'keys'),
  };
  // Topics of this run only, so earlier runs' messages and dead letters do not mix in (read by the test's own clients too).
  process.env.HANDOFF_TOPIC_PREFIX = env.HANDOFF_TOPIC_PREFIX;
  const config = {
    env, basePort: 14500, keysDir: path.join(dir, 'keys'), kafka: true, kcat: service('kcat'),
    cleanup: async () => {
      for (const { name } of SUBGRAPHS) await dropMysqlDatabase(databaseConfig(name, env));
    },
  };
  handoffSuite('Apache Kafka and MariaDB', () => config);
});
