import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { buildSchema, GraphQLObjectType } from 'graphql';
import { MUTATION_SCOPES } from '@onestop/platform';
import { DEFINITION_LIST } from '../stack/definitions';
import { SUPERGRAPH_PATH } from '../stack/subgraphs';

/** Every mutation of the composed graph declares its agency scope (`@Scope`): a new one without it fails here. */
test('every mutation of the supergraph declares an agency scope', () => {
  assert.ok(DEFINITION_LIST.length >= 5, 'the subgraphs (and their resolvers) are loaded');
  const sdl = fs.readFileSync(SUPERGRAPH_PATH, 'utf8');
  const schema = buildSchema(sdl, { assumeValidSDL: true });
  const mutation = schema.getMutationType() as GraphQLObjectType;
  const fields = Object.keys(mutation.getFields()).sort();
  assert.ok(fields.length >= 18, `expected the graph's mutations, got ${fields.join(', ')}`);
  const missing = fields.filter((field) => !MUTATION_SCOPES.get(field)?.trim());
  assert.deepEqual(missing, [], `mutations without @Scope: ${missing.join(', ')}`);
  const stale = [...MUTATION_SCOPES.keys()].filter((field) => !fields.includes(field));
  assert.deepEqual(stale, [], `@Scope on fields the graph no longer has: ${stale.join(', ')}`);
});

test('the README shows each mutation with its declared scope', () => {
  const readme = fs.readFileSync(SUPERGRAPH_PATH.replace(/schemas[/\\]supergraph\.graphql$/, 'README.md'), 'utf8');
  for (const [field, rule] of MUTATION_SCOPES) assert.ok(readme.includes(`| \`${field}\` | ${rule} |`), `README lacks the row for ${field}: | \`${field}\` | ${rule} |`);
});
