import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { AGENCY_TREE_PATH, agencyTree } from '../demo-data/agency-tree';

/** The committed tree the platform loads is the demo reference's; regenerate with `node scripts/dist/demo-data/agency-tree.js`. */
test('platform/data/agency-tree.json is the demo reference\'s agency tree', () => {
  const committed = JSON.parse(fs.readFileSync(AGENCY_TREE_PATH, 'utf8'));
  assert.deepEqual(committed, agencyTree());
  assert.equal(committed.parents['H99.DD.991'], 'H99.DD.00');
  assert.equal(committed.parents['H99.THUE.991'], 'H99.THUE.00');
  assert.equal(committed.parents['000.00.00.H99'], undefined, 'a receiving desk acts only for itself');
});
