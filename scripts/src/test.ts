import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import mysql from 'mysql2/promise';
import { Kafka, logLevel } from 'kafkajs';
import { ROOT } from './subgraphs';

/**
 * `npm test`: every compiled *.test.js of the workspace through node's test runner.
 * MySQL suites run when a server answers at TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306);
 * Kafka suites when a broker answers at TEST_KAFKA_BROKERS (default 127.0.0.1:9092; `npm run kafka -- start`);
 * the kcat interop test when `kcat` (or `kafkacat`) is on PATH (TEST_KCAT); the explorer's browser test when `chromium`
 * is (TEST_CHROMIUM). Tests skip with a reason when their
 * variable is absent; in CI (CI=true) a missing server or tool is a failure, never a silent skip.
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

/** Asks the brokers for the cluster's metadata; at most ~5 s, silent. */
async function kafkaAnswers(brokers: string[]): Promise<string | null> {
  const admin = new Kafka({
    clientId: 'onestop-test-probe', brokers, logLevel: logLevel.NOTHING,
    connectionTimeout: 2000, requestTimeout: 3000, retry: { retries: 0 },
  }).admin();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), 5000); });
  const probe = (async () => {
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return `${cluster.brokers.length} broker${cluster.brokers.length === 1 ? '' : 's'} at ${brokers.join(',')}, cluster ${cluster.clusterId}`;
    } catch {
      return null;
    }
  })();
  try {
    return await Promise.race([probe, limit]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/** The first executable of these names on PATH (a name with a slash is taken as a path). */
function onPath(...names: string[]): string | null {
  for (const name of names) {
    const dirs = name.includes('/') ? [''] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
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

  // Tests choose their bus explicitly: a developer's KAFKA_BROKERS must not switch the embedded-bus tests to Kafka.
  env.KAFKA_BROKERS = '';
  const kafkaBrokers = process.env.TEST_KAFKA_BROKERS || '127.0.0.1:9092';
  const brokerList = kafkaBrokers.split(',').map((b) => b.trim()).filter(Boolean);
  const kafka = await kafkaAnswers(brokerList);
  if (kafka) {
    env.TEST_KAFKA_BROKERS = brokerList.join(',');
    console.log(`Kafka suites: ON (${kafka})`);
  } else if (process.env.CI) {
    console.error(`CI: no Kafka broker answers at ${kafkaBrokers}; the Kafka suites must run in CI. Start one with \`bash scripts/kafka/run.sh start\` (see .ci/run) or set TEST_KAFKA_BROKERS.`);
    process.exit(1);
  } else {
    delete env.TEST_KAFKA_BROKERS;
    notRun.push(`Kafka suites (no broker at ${kafkaBrokers}; run \`npm run kafka -- start\` or set TEST_KAFKA_BROKERS)`);
    console.log(`Kafka suites: OFF — no broker answers at ${kafkaBrokers}`);
  }

  const kcat = process.env.TEST_KCAT ? onPath(process.env.TEST_KCAT) : onPath('kcat', 'kafkacat');
  if (kcat) {
    env.TEST_KCAT = kcat;
    console.log(`kcat interop test: ON (${kcat}${kafka ? '' : '; needs the Kafka broker too'})`);
  } else if (process.env.CI) {
    console.error('CI: kcat (or kafkacat) is not on PATH; the kcat interop test must run in CI. Install it (apt-get install kcat, see .ci/run) or set TEST_KCAT.');
    process.exit(1);
  } else {
    delete env.TEST_KCAT;
    notRun.push('kcat interop test (no kcat or kafkacat on PATH; apt-get install kcat, or set TEST_KCAT)');
    console.log('kcat interop test: OFF — no kcat or kafkacat on PATH');
  }

  // The explorer's browser test (scripts/src/e2e/explorer.browser.test.ts) drives Debian's chromium headless.
  const chromium = process.env.TEST_CHROMIUM ? onPath(process.env.TEST_CHROMIUM) : onPath('chromium', 'chromium-browser');
  if (chromium) {
    env.TEST_CHROMIUM = chromium;
    console.log(`Explorer browser test: ON (${chromium})`);
  } else if (process.env.CI) {
    console.error('CI: chromium is not on PATH; the explorer browser test must run in CI. Install it (apt-get install chromium, see .ci/run) or set TEST_CHROMIUM.');
    process.exit(1);
  } else {
    env.TEST_CHROMIUM = ''; // none: the test must not find another one by itself
    notRun.push('explorer browser test (no chromium on PATH; apt-get install chromium, or set TEST_CHROMIUM)');
    console.log('Explorer browser test: OFF — no chromium on PATH');
  }

  let files = PACKAGES.flatMap((pkg) => testFiles(path.join(ROOT, pkg, 'dist')));
  if (filter.length) files = files.filter((file) => filter.some((f) => file.includes(f)));
  if (!files.length) {
    console.error('No test files found: did the build run?');
    process.exit(1);
  }
  // Output streams as it comes (a hung test shows where it hangs); every test file has a hard time limit: 5 min (the
  // Kafka file, with a broker kill and restart, takes about 2 min on these 2 cores).
  const child = spawn(process.execPath, [
    '--test', '--test-reporter=spec', '--test-concurrency=1', '--test-force-exit', `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? 300000}`, ...files,
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
