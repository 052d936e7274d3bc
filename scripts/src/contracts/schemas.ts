import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { generateHandoffDocuments, HANDOFF_DOCUMENTS_DIR } from './handoff-documents';
import { ROOT, SUBGRAPHS, subgraphMain } from '../stack/subgraphs';

const SCHEMAS_DIR = path.join(ROOT, 'schemas');
/** Folders of schemas/ that hold generated files only: a file there that is not generated is stale. */
const GENERATED_FOLDERS = [HANDOFF_DOCUMENTS_DIR];

/**
 * Each subgraph prints its own SDL (in its own process, as it runs), then composition builds the supergraph;
 * the handoff contracts are published under handoffs/. Names are relative to schemas/.
 */
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
  for (const [name, content] of generateHandoffDocuments()) files.set(name, content);
  return files;
}

/** Files in the generated folders that the code no longer generates, relative to schemas/. */
export function staleSchemaFiles(files: Map<string, string>, dir = SCHEMAS_DIR): string[] {
  return GENERATED_FOLDERS.flatMap((folder) => {
    const full = path.join(dir, folder);
    if (!fs.existsSync(full)) return [];
    return fs.readdirSync(full, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .filter((name) => !files.has(name))
      .sort();
  });
}

/** Committed files that differ from what the code generates, are missing, or are no longer generated. */
export function schemaDrift(files: Map<string, string>, dir = SCHEMAS_DIR): string[] {
  const drift: string[] = [];
  for (const [name, content] of files) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content) drift.push(`schemas/${name}`);
  }
  for (const name of staleSchemaFiles(files, dir)) drift.push(`schemas/${name} (stale: no longer generated)`);
  return drift;
}

/** Writes the generated files and removes the stale ones. */
export function writeSchemas(files: Map<string, string>, dir = SCHEMAS_DIR): void {
  for (const [name, content] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  for (const name of staleSchemaFiles(files, dir)) fs.rmSync(path.join(dir, name));
}

function main() {
  const mode = process.argv[2] ?? 'check';
  const files = generateSchemas();
  if (mode === 'write') {
    const stale = staleSchemaFiles(files);
    writeSchemas(files);
    console.log(`wrote ${[...files.keys()].map((n) => `schemas/${n}`).join(', ')}`);
    if (stale.length) console.log(`removed stale ${stale.map((n) => `schemas/${n}`).join(', ')}`);
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
