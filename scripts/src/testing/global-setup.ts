import fs from 'node:fs';
import path from 'node:path';
import { probeServices } from './services';
import { NOT_RUN_FILE } from './results';

/**
 * Jest's global setup: finds the services the suites need (MariaDB, Kafka, kcat, Chromium, PyYAML) and hands them to the test
 * workers through TEST_* variables. A suite whose service is missing is skipped, and named in one line here and in the
 * closing lines of `npm test`; with CI=true a missing service fails the run before any test.
 */
export default async function globalSetup(): Promise<void> {
  // Tests choose their database and bus explicitly: a developer's DB_URL or KAFKA_BROKERS must not switch the suites.
  process.env.DB_URL = '';
  process.env.KAFKA_BROKERS = '';
  process.env.KAFKA_SECURITY = '';
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  // the AWS SDK's notice that its 2027 releases need Node 22 (the document store's S3 client), once per worker otherwise
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const probes = await probeServices(process.env);
  const notRun: string[] = [];
  console.log('');
  for (const probe of probes) {
    if (probe.found) {
      process.env[probe.variable] = probe.found;
      Object.assign(process.env, probe.extra);
      console.log(`${probe.label}: ON (${probe.detail})`);
    } else {
      // empty, not absent: a test must not go looking for the service by itself
      process.env[probe.variable] = '';
      notRun.push(`${probe.label} (${probe.howToStart})`);
      console.log(`${probe.label}: OFF — ${probe.howToStart}`);
    }
  }
  fs.mkdirSync(path.dirname(NOT_RUN_FILE), { recursive: true });
  fs.writeFileSync(NOT_RUN_FILE, JSON.stringify(notRun));
  if (process.env.CI && notRun.length) {
    throw new Error(`CI: every suite must run, but these services are missing:\n  ${notRun.join('\n  ')}`);
  }
}
