import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ApolloGateway } from '@apollo/gateway';
import { buildManifest, invalidOperations, readOperationSources } from '@onestop/gateway';
import { SUPERGRAPH_PATH } from '../stack/subgraphs';

const USAGE = `Usage: npm run operations -- manifest <dir of .graphql files> <out.json> [--supergraph FILE]

Builds an Apollo persisted query manifest (id = sha256 of each operation's text) from the named operations and
fragments in the directory, after checking every operation against the supergraph's API schema
(default schemas/supergraph.graphql). The gateway serves it with GATEWAY_PERSISTED_OPERATIONS=allowlist
and GATEWAY_OPERATIONS_MANIFEST=<out.json>.`;

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { supergraph: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  const [command, dir, out] = positionals;
  if (values.help || command !== 'manifest' || !dir || !out) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 1);
  }
  const sources = readOperationSources(dir);
  if (!sources.length) throw new Error(`no .graphql files in ${dir}`);
  const manifest = buildManifest(sources);

  const gateway = new ApolloGateway({ supergraphSdl: fs.readFileSync(values.supergraph ?? SUPERGRAPH_PATH, 'utf8') });
  const { schema } = await gateway.load();
  await gateway.stop();
  const invalid = invalidOperations(schema, manifest);
  if (invalid.length) {
    for (const { name, errors } of invalid) console.error(`${name}: ${errors.map((e) => e.message).join('; ')}`);
    throw new Error(`${invalid.length} operation(s) do not validate against the supergraph; manifest not written`);
  }
  fs.writeFileSync(out, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`${manifest.operations.length} operations → ${out}`);
  for (const operation of manifest.operations) console.log(`  ${operation.id}  ${operation.type} ${operation.name}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
