import { parseArgs } from 'node:util';
import { intFromEnv } from '@onestop/platform';
import { isSeeded, resetDemoData, seedDemoData, SeedOptions, SeedSummary } from '../demo-data';
import { Progress, progressBar } from './progress';

/**
 * seedDemoData with a progress bar on stderr (on a terminal; elsewhere one line at the end): for the CLIs and benches.
 * Tests call seedDemoData itself, which prints nothing.
 */
export async function seedWithProgress(options: Omit<SeedOptions, 'progress'>): Promise<SeedSummary> {
  // started at the first rows, once the data set is generated and the databases are open (their logs come before it)
  let bar: Progress | undefined;
  try {
    return await seedDemoData({ ...options, progress: (done, total, stage) => (bar ??= progressBar('Seeding', total, { unit: 'rows' })).update(done, stage) });
  } finally {
    bar?.stop();
  }
}

async function main() {
  const { values } = parseArgs({ options: { citizens: { type: 'string' }, seed: { type: 'string' }, reset: { type: 'boolean' } } });
  const citizens = values.citizens ? Number(values.citizens) : intFromEnv('SEED_CITIZENS', 2000);
  const seed = values.seed ? Number(values.seed) : 766;
  if (values.reset) {
    await resetDemoData();
    console.log('Removed all rows.');
  } else if (await isSeeded()) {
    console.log('Demo data already present; use --reset to replace it.');
    return;
  }
  const started = Date.now();
  const summary = await seedWithProgress({ citizens, seed });
  console.log('\n| table | rows |\n|---|---:|');
  for (const [table, rows] of Object.entries(summary)) console.log(`| ${table} | ${rows} |`);
  console.log(`\nSeeded ${citizens} citizens (seed ${seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
