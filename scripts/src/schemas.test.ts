import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSchemas, schemaDrift } from './schemas';

test('schemas/: committed subgraph SDL and supergraph match the code and compose', () => {
  const files = generateSchemas();
  assert.deepEqual([...files.keys()].sort(), [
    'business-registration.graphql', 'civil-status.graphql', 'land.graphql', 'single-window.graphql', 'supergraph.graphql', 'tax.graphql',
  ]);
  assert.deepEqual(schemaDrift(files), [], 'run `npm run schemas` and commit the result');
});
