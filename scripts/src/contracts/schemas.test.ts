import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { generateHandoffDocuments } from './handoff-documents';
import { generateSchemas, schemaDrift, writeSchemas } from './schemas';
import { tempDir } from '../testing/helpers';

test('schemas/: committed subgraph SDL, supergraph and handoff documents match the code and compose', () => {
  const files = generateSchemas();
  const graphql = [...files.keys()].filter((name) => !name.startsWith('handoffs/')).sort();
  assert.deepEqual(graphql, [
    'business-registration.graphql', 'civil-status.graphql', 'land.graphql', 'single-window.graphql', 'supergraph.graphql', 'tax.graphql',
  ]);
  assert.deepEqual([...files.keys()].filter((name) => name.startsWith('handoffs/')).sort(), [...generateHandoffDocuments().keys()].sort());
  assert.deepEqual(schemaDrift(files), [], 'run `npm run schemas` and commit the result');
});

test('schemas/: drift names changed, missing and stale handoff documents; writing fixes all three', () => {
  const dir = tempDir('schemas');
  const files = new Map([['a.graphql', 'type A\n'], ['handoffs/x.v1.schema.json', '{}\n'], ['handoffs/README.md', '# x\n']]);
  writeSchemas(files, dir);
  assert.deepEqual(schemaDrift(files, dir), []);
  fs.writeFileSync(path.join(dir, 'handoffs/x.v1.schema.json'), '{"changed":true}\n');
  fs.rmSync(path.join(dir, 'handoffs/README.md'));
  fs.writeFileSync(path.join(dir, 'handoffs/gone.v1.schema.json'), '{}\n');
  assert.deepEqual(schemaDrift(files, dir), [
    'schemas/handoffs/x.v1.schema.json', 'schemas/handoffs/README.md', 'schemas/handoffs/gone.v1.schema.json (stale: no longer generated)',
  ]);
  writeSchemas(files, dir);
  assert.deepEqual(schemaDrift(files, dir), []);
  assert.ok(!fs.existsSync(path.join(dir, 'handoffs/gone.v1.schema.json')));
  fs.rmSync(dir, { recursive: true });
});
