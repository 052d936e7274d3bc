#!/usr/bin/env node
// `npm run build` for the portal (the root build runs it after tsc -b): the typed operations and the manifest, a type
// check, then Vite into dist/. Vite runs only when an input changed since the last build (dist/.inputs holds their
// hash), so the root build stays quick for the many scripts that start with it. `--force` always builds.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PORTAL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args) => execFileSync(command, args, { cwd: PORTAL, stdio: 'inherit' });

// In CI the committed typed operations and manifest must already match (like schemas/): check, never rewrite.
run(process.execPath, ['scripts/generate.mjs', ...(process.env.CI === 'true' ? ['--check'] : [])]);

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? files(file) : [file];
  });
}
const inputs = [...files(path.join(PORTAL, 'src')), ...['index.html', 'vite.config.ts', 'tsconfig.json', 'package.json', 'operations.manifest.json'].map((f) => path.join(PORTAL, f))].sort();
const hash = createHash('sha256');
for (const file of inputs) hash.update(path.relative(PORTAL, file)).update('\0').update(fs.readFileSync(file)).update('\0');
const digest = hash.digest('hex');
const stamp = path.join(PORTAL, 'dist', '.inputs');
if (!process.argv.includes('--force') && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest && fs.existsSync(path.join(PORTAL, 'dist', 'index.html'))) {
  process.exit(0);
}
const bin = (name) => path.join(PORTAL, '..', 'node_modules', '.bin', name);
run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
run(bin('vite'), ['build', '--logLevel', 'warn']);
fs.writeFileSync(stamp, digest);
