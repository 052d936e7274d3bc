import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { GraphQLSchema, Kind, parse, validate } from 'graphql';

const ROOT = path.resolve(__dirname, '..', '..');
const OPERATIONS = path.join(ROOT, 'gateway', 'operations');

/** Every .graphql file under a directory, recursively, relative to it. */
function graphqlFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return graphqlFiles(path.join(dir, entry.name), path.join(prefix, entry.name));
    return entry.name.endsWith('.graphql') ? [path.join(prefix, entry.name)] : [];
  });
}

/** What is wrong with one operation file taken alone: every fragment it spreads must be in the same file. */
function standaloneProblems(schema: GraphQLSchema, text: string): string[] {
  let document;
  try {
    document = parse(text);
  } catch (error) {
    return [(error as Error).message];
  }
  const problems = validate(schema, document).map((error) => error.message);
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && !definition.name) problems.push('an operation without a name');
  }
  if (!document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)) problems.push('no operation');
  return problems;
}

test('every operation file under gateway/operations parses and validates on its own against schemas/supergraph.graphql', async () => {
  const gateway = new ApolloGateway({ supergraphSdl: fs.readFileSync(path.join(ROOT, 'schemas', 'supergraph.graphql'), 'utf8') });
  const { schema } = await gateway.load();
  await gateway.stop();
  const files = graphqlFiles(OPERATIONS);
  assert.ok(files.length >= 5, files.join(', '));
  const problems = files.flatMap((file) => standaloneProblems(schema, fs.readFileSync(path.join(OPERATIONS, file), 'utf8')).map((p) => `${file}: ${p}`));
  assert.equal(problems.join('\n'), '');
  // the check fails on a fragment kept in another file, an unknown field, and the anonymous refusal of old
  assert.match(standaloneProblems(schema, 'query A($c: String!) { dossierLookup(code: $c) { steps { ...Step } } }').join(), /Unknown fragment "Step"/);
  assert.match(standaloneProblems(schema, 'query A { me { salary } }').join(), /Cannot query field "salary"/);
  assert.match(standaloneProblems(schema, '{ me { role } }').join(), /without a name/);
  assert.match(standaloneProblems(schema, 'fragment F on Me { role }').join(), /no operation|never used/);
  // the portal's lookup is the public one, which anonymous callers may use
  assert.match(fs.readFileSync(path.join(OPERATIONS, 'portal', 'dossier-lookup.graphql'), 'utf8'), /dossierLookup\(code: \$code\)/);
});
