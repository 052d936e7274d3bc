import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import mysql from 'mysql2/promise';
import { ROOT } from './subgraphs';

/**
 * `npm test`: every compiled *.test.js of the workspace through node's test runner.
 * MySQL suites run when a server answers at TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306);
 * in CI (CI=true) a missing server is a failure, never a silent skip.
 */
const PACKAGES = ['platform', 'gateway', 'subgraphs/single-window', 'subgraphs/civil-status', 'subgraphs/business-registration', 'subgraphs/land', 'subgraphs/tax', 'scripts'];

function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

async function mysqlAnswers(url: string): Promise<string | null> {
  try {
    const parsed = new URL(url);
    const connection = await mysql.createConnection({
      host: parsed.hostname, port: Number(parsed.port || 3306), user: decodeURIComponent(parsed.username || 'root'),
      password: decodeURIComponent(parsed.password), connectTimeout: 3000,
    });
    const [rows] = await connection.query('SELECT VERSION() AS v');
    await connection.end();
    return String((rows as { v: string }[])[0].v);
  } catch {
    return null;
  }
}

async function main() {
  const filter = process.argv.slice(2);
  const mysqlUrl = process.env.TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
  const version = await mysqlAnswers(mysqlUrl);
  const notRun: string[] = [];
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DB_URL: '' };
  if (version) {
    env.TEST_MYSQL_URL = mysqlUrl;
    console.log(`MySQL suites: ON (${version} at ${mysqlUrl.replace(/\/\/[^@]*@/, '//')})`);
  } else if (process.env.CI) {
    console.error(`CI: no MariaDB/MySQL answers at ${mysqlUrl}; the MySQL suites must run in CI. Start it (see .ci/run) or set TEST_MYSQL_URL.`);
    process.exit(1);
  } else {
    delete env.TEST_MYSQL_URL;
    notRun.push(`MySQL suites (no MariaDB/MySQL at ${mysqlUrl}; set TEST_MYSQL_URL to run them)`);
    console.log(`MySQL suites: OFF — nothing answers at ${mysqlUrl}`);
  }

  let files = PACKAGES.flatMap((pkg) => testFiles(path.join(ROOT, pkg, 'dist')));
  if (filter.length) files = files.filter((file) => filter.some((f) => file.includes(f)));
  if (!files.length) {
    console.error('No test files found: did the build run?');
    process.exit(1);
  }
  // Output streams as it comes (a hung test shows where it hangs); every test has a hard time limit.
  const child = spawn(process.execPath, [
    '--test', '--test-reporter=spec', '--test-concurrency=1', '--test-force-exit', `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? 180000}`, ...files,
  ], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  // A whole-run limit too: a leaked handle must fail the run, not hang CI.
  const limitMinutes = Number(process.env.TEST_RUN_LIMIT_MINUTES ?? 45);
  const watchdog = setTimeout(() => {
    console.error(`\nTest run exceeded ${limitMinutes} min: killing it.`);
    child.kill('SIGKILL');
  }, limitMinutes * 60_000);
  const status: number = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  clearTimeout(watchdog);
  const summary = (name: string) => Number(new RegExp(`^ℹ ${name} (\\d+)`, 'm').exec(output)?.[1] ?? 0);
  const passed = summary('pass');
  const failed = summary('fail') + summary('cancelled');
  const skipped = summary('skipped');
  console.log(`\n${files.length} test files.`);
  for (const line of notRun) console.log(`NOT RUN: ${line}`);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(status);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
