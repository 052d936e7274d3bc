import { parseArgs } from 'node:util';
import { intFromEnv } from '@onestop/platform';
import { isSeeded, resetDemoData, seedDemoData } from '../demo-data';

function progressBar() {
  const tty = process.stderr.isTTY;
  let lastStage = '';
  let lastTenth = -1;
  return (stage: string, done: number, total: number) => {
    const ratio = total ? done / total : 1;
    if (tty) {
      const filled = Math.round(ratio * 20);
      process.stderr.write(`\r[${'█'.repeat(filled)}${'░'.repeat(20 - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${stage} ${done}/${total}\x1b[K`);
      if (done === total) process.stderr.write('\n');
      return;
    }
    const tenth = Math.floor(ratio * 10);
    if (stage !== lastStage || tenth !== lastTenth) {
      if (stage !== lastStage || done === total || tenth % 5 === 0) process.stderr.write(`${stage}: ${done}/${total} (${Math.round(ratio * 100)}%)\n`);
      lastStage = stage;
      lastTenth = tenth;
    }
  };
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
  const summary = await seedDemoData({ citizens, seed, progress: progressBar() });
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
