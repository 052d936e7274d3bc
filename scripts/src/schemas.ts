import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { ROOT, SUBGRAPHS, subgraphMain } from './subgraphs';

const SCHEMAS_DIR = path.join(ROOT, 'schemas');

/** Each subgraph prints its own SDL (in its own process, as it runs), then composition builds the supergraph. */
export function generateSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  const services = SUBGRAPHS.map(({ name, dir, port }) => {
    const sdl = execFileSync(process.execPath, [subgraphMain(dir), 'print-schema'], { encoding: 'utf8', env: { ...process.env, DB_URL: '' } });
    files.set(`${name}.graphql`, sdl.endsWith('\n') ? sdl : `${sdl}\n`);
    return { name, url: `http://127.0.0.1:${port}/graphql`, typeDefs: parse(sdl) };
  });
  const result = composeServices(services);
  if (result.errors) {
    const messages = result.errors.map((e) => `- ${e.message}`).join('\n');
    throw new Error(`Composition failed:\n${messages}`);
  }
  for (const hint of result.hints ?? []) {
    if (process.env.SHOW_COMPOSITION_HINTS) console.warn(`hint: ${hint.toString()}`);
  }
  files.set('supergraph.graphql', result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`);
  return files;
}

/** Names of committed files that differ from what the code generates. */
export function schemaDrift(files: Map<string, string>): string[] {
  const drift: string[] = [];
  for (const [name, content] of files) {
    const file = path.join(SCHEMAS_DIR, name);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content) drift.push(`schemas/${name}`);
  }
  return drift;
}

function main() {
  const mode = process.argv[2] ?? 'check';
  const files = generateSchemas();
  if (mode === 'write') {
    fs.mkdirSync(SCHEMAS_DIR, { recursive: true });
    for (const [name, content] of files) fs.writeFileSync(path.join(SCHEMAS_DIR, name), content);
    console.log(`wrote ${[...files.keys()].map((n) => `schemas/${n}`).join(', ')}`);
    return;
  }
  const drift = schemaDrift(files);
  if (drift.length) {
    console.error(`Schemas out of date with the code: ${drift.join(', ')}\nRun \`npm run schemas\` and commit the result.`);
    process.exit(1);
  }
  console.log(`schemas/ matches the code (${files.size} files, composition OK)`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
