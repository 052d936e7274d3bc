import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT } from '../stack/subgraphs';
import { closingLine, JestCounts, NOT_RUN_FILE, RESULTS_FILE } from './results';

/**
 * `npm test [-- jest arguments]`: jest over the whole workspace (jest.config.js), then the lines CI reads last: what did
 * not run for want of a service, and `N passed, N failed, N skipped`. Jest's global setup finds the services
 * (scripts/src/testing/global-setup.ts); with CI=true a missing one fails the run.
 */
async function main(): Promise<number> {
  for (const file of [NOT_RUN_FILE, RESULTS_FILE]) fs.rmSync(file, { force: true });
  const jest = require.resolve('jest/bin/jest', { paths: [ROOT] });
  const args = [jest, '--json', `--outputFile=${RESULTS_FILE}`, ...process.argv.slice(2)];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  // A whole-run limit: a leaked handle must fail the run, not hang CI.
  const limitMinutes = Number(process.env.TEST_RUN_LIMIT_MINUTES ?? 45);
  const watchdog = setTimeout(() => {
    console.error(`\nTest run exceeded ${limitMinutes} min: killing it.`);
    child.kill('SIGKILL');
  }, limitMinutes * 60_000);
  const status: number = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  clearTimeout(watchdog);

  const read = <T>(file: string): T | undefined => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as T : undefined);
  const counts = read<JestCounts>(RESULTS_FILE);
  const notRun = read<string[]>(NOT_RUN_FILE) ?? [];
  console.log('');
  if (counts) console.log(`${counts.numTotalTestSuites} test files, ${counts.numTotalTests} tests.`);
  for (const line of notRun) console.log(`NOT RUN: ${line}`);
  console.log(closingLine(counts));
  return counts ? status : status || 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  console.log(closingLine(undefined));
  process.exit(1);
});
