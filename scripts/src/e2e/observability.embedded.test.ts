import path from 'node:path';
import { observabilitySuite } from './observability-suite';
import { tempDir } from '../testing/helpers';

const dir = tempDir('observability');
observabilitySuite('the embedded bus and SQLite', () => ({
  env: { DATA_DIR: dir, HANDOFF_KEYS_DIR: path.join(dir, 'keys'), KAFKA_BROKERS: '', DB_URL: '' },
  basePort: 14900,
  kafka: false,
}));
