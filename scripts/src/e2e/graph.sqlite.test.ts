import { graphSuite } from './graph-suite';
import { tempDir } from '../testing/helpers';

graphSuite('the embedded SQLite default', () => ({ env: { DATA_DIR: tempDir('e2e'), DB_URL: '' }, basePort: 14100 }));
