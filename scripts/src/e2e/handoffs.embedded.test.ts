import path from 'node:path';
import { handoffSuite } from './handoffs-suite';
import { tempDir } from '../testing/helpers';

// The embedded default: SQLite databases and the in-process bus file, as `npm start` runs on a fresh machine.
const dir = tempDir('handoffs-embedded');
const config = {
  env: { DATA_DIR: dir, HANDOFF_KEYS_DIR: path.join(dir, 'keys'), KAFKA_BROKERS: '', DB_URL: '' },
  basePort: 14400,
  keysDir: path.join(dir, 'keys'),
  kafka: false,
};
handoffSuite('the embedded bus and SQLite', () => config);
