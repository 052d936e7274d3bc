import path from 'node:path';
import { observabilitySuite } from './observability-suite';
import { describeWith, kafkaTestEnv, runId, tempDir } from '../testing/helpers';

// Over Kafka: SQLite databases, this run's own topics.
describeWith(['kafka'], 'Apache Kafka', () => {
  const dir = tempDir('observability-kafka');
  observabilitySuite('Apache Kafka', () => ({
    env: {
      DATA_DIR: dir, HANDOFF_KEYS_DIR: path.join(dir, 'keys'), ...kafkaTestEnv(), DB_URL: '',
      HANDOFF_TOPIC_PREFIX: `obs${runId()}`, HANDOFF_PARTITIONS: '3',
    },
    basePort: 14910,
    kafka: true,
  }));
});
