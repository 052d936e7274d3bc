import path from 'node:path';
import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { In, Not } from 'typeorm';
import {
  databaseConfig, describeDatabase, dropMysqlDatabase, entitiesOf, HANDOFF_ENTITIES, HandoffNode, HANDOFF_MIGRATIONS,
  keysFromEnv, migrationsOf, openDatabase, statusReport, transportFromEnv,
} from '@onestop/platform';
import { Dossier, FINISHED_STATUSES, singleWindow } from '@onestop/single-window';
import { seedWithProgress } from '../cli/seed';
import { runId, tempDir } from '../testing/helpers';

/**
 * `npm run bench:handoffs`: handoffs per second end to end, from the outbox write in the sender's transaction to the
 * inbox commit at the receiver, with the receiver's real effect (single-window applying status reports to dossiers).
 * Uses Kafka and MariaDB when they answer (KAFKA_BROKERS, DB_URL; defaults 127.0.0.1), else says it ran embedded.
 */
const label = (r: { label: string }) => r.label;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const now = () => performance.timeOrigin + performance.now();

/** The receiving agency in its own process, as in production: reports each commit's time to the bench. */
async function receiverProcess(): Promise<void> {
  const env = process.env;
  const db = await openDatabase({ config: databaseConfig('single-window', env), entities: entitiesOf(singleWindow), migrations: migrationsOf(singleWindow) });
  const transport = transportFromEnv('single-window', env);
  const node = new HandoffNode({
    member: 'single-window', dataSource: db.dataSource, transport, keys: keysFromEnv('single-window', env), handlers: singleWindow.handoffs!,
    afterCommit: (applied) => {
      const at = now();
      process.send!({ applied: applied.map((e) => e.messageId), at });
    },
  });
  await node.start();
  process.send!({ ready: true });
  process.on('message', async (message: { stop?: boolean }) => {
    if (!message.stop) return;
    await node.stop();
    await transport.close();
    await db.dataSource.destroy();
    process.exit(0);
  });
}

async function main() {
  const { values } = parseArgs({ options: {
    messages: { type: 'string' }, writers: { type: 'string' }, dossiers: { type: 'string' }, embedded: { type: 'boolean' }, rate: { type: 'string' },
    seconds: { type: 'string' },
  } });
  // one log line per handoff at info would drown the results (and the sender's and receiver's logs are not measured)
  process.env.LOG_LEVEL ??= 'warn';
  const total = Number(values.messages ?? 20_000);
  const writers = Number(values.writers ?? 32);
  /** Offered load in handoffs/s (0 = as fast as the writers go): latency is measured at a rate the pipeline sustains. */
  const rate = Number(values.rate ?? 0);
  const id = runId();
  const dir = tempDir('bench-handoffs');
  const useKafka = !values.embedded && (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092') !== '';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dir, HANDOFF_KEYS_DIR: path.join(dir, 'keys'), HANDOFF_TOPIC_PREFIX: `bench${id}`,
    KAFKA_BROKERS: useKafka ? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' : '',
    DB_URL: values.embedded ? '' : process.env.DB_URL ?? 'mysql://root@127.0.0.1:3306', DB_PREFIX: `bench_${id}`,
    HANDOFF_PARTITIONS: process.env.HANDOFF_PARTITIONS ?? '6',
  };
  process.env.HANDOFF_TOPIC_PREFIX = env.HANDOFF_TOPIC_PREFIX;
  console.log(`Seeding the single-window registry (${describeDatabase(databaseConfig('single-window', env))})…`);
  await seedWithProgress({ citizens: 2000, env });

  const receiverDb = await openDatabase({ config: databaseConfig('single-window', env), entities: entitiesOf(singleWindow), migrations: migrationsOf(singleWindow) });
  const open = await receiverDb.dataSource.getRepository(Dossier).find({
    select: { code: true }, where: { status: Not(In([...FINISHED_STATUSES])) }, take: Number(values.dossiers ?? 2000),
  });
  await receiverDb.dataSource.destroy();
  if (!open.length) throw new Error('no open dossiers to report on');
  const senderDb = await openDatabase({ config: databaseConfig('bench-land', env), entities: HANDOFF_ENTITIES, migrations: HANDOFF_MIGRATIONS });

  // Each phase registers its messages here; the receiver's commit reports are matched against them.
  let phase: { sent: Map<string, number>; latencies: number[]; lastCommit: number; total: number; done: () => void } | undefined;
  const receiver = fork(__filename, ['--receiver'], { env });
  await new Promise<void>((resolve, reject) => {
    receiver.once('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
    receiver.on('message', (message: { ready?: boolean; applied?: string[]; at?: number }) => {
      if (message.ready) resolve();
      if (!phase) return;
      for (const id of message.applied ?? []) {
        const at = phase.sent.get(id);
        if (at === undefined) continue;
        phase.latencies.push(message.at! - at);
        phase.lastCommit = Math.max(phase.lastCommit, message.at!);
      }
      if (phase.latencies.length >= phase.total) phase.done();
    });
  });
  const senderTransport = transportFromEnv('land', env);
  const sender = new HandoffNode({ member: 'land', dataSource: senderDb.dataSource, transport: senderTransport, keys: keysFromEnv('land', env), handlers: {}, relayIntervalMs: 20 });
  await sender.start();
  console.log(`Bus: ${useKafka ? `Kafka ${env.KAFKA_BROKERS} (${env.HANDOFF_PARTITIONS} partitions)` : 'embedded'}; databases: ${describeDatabase(databaseConfig('single-window', env))}`);
  console.log(`Status reports over ${open.length} open dossiers from ${writers} concurrent writers; sender and receiver in separate processes.`);

  /** Sends `count` handoffs (at `offered`/s, or as fast as the writers go) and waits until the receiver committed them all. */
  const run = async (label: string, count: number, offered: number) => {
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => { done = resolve; });
    phase = { sent: new Map(), latencies: [], lastCommit: 0, total: count, done };
    const current = phase;
    const started = now();
    let next = 0;
    const writer = async () => {
      for (;;) {
        const index = next++;
        if (index >= count) return;
        if (offered) {
          const wait = started + (index / offered) * 1000 - now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        const dossierCode = open[index % open.length].code;
        const report = statusReport({ dossierCode, statusCode: 4, status: index % 2 ? 'IN_APPRAISAL' : 'APPROVAL', unitCode: 'land' });
        const at = now();
        // The business change and the outbox row commit together, as in a mutation.
        await senderDb.dataSource.transaction(async (manager) => {
          const envelope = await sender.send(manager, report);
          current.sent.set(envelope.messageId, at);
        });
      }
    };
    await Promise.all(Array.from({ length: writers }, writer));
    const written = now();
    const timeout = setTimeout(() => done(), 120_000);
    await finished;
    clearTimeout(timeout);
    const latencies = [...current.latencies].sort((a, b) => a - b);
    return {
      label, count, applied: latencies.length,
      writes: count / ((written - started) / 1000),
      throughput: latencies.length / ((current.lastCommit - started) / 1000),
      p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? 0,
    };
  };

  // Warm-up (JIT, connection pools, consumer group, topic metadata): run, not reported.
  await run('warm-up', Math.min(3000, total), rate || 0);
  const results = [];
  const saturation = await run('saturation', total, 0);
  results.push(saturation);
  const steady = rate || Math.max(50, Math.round((saturation.throughput * 0.6) / 50) * 50);
  results.push(await run(`${steady}/s offered`, Math.round(steady * Number(values.seconds ?? 20)), steady));
  console.log(`
| bus | load | handoffs | applied | outbox writes/s | end-to-end handoffs/s | p50 ms | p99 ms | max ms |
|---|---|---:|---:|---:|---:|---:|---:|---:|`);
  for (const r of results) {
    console.log(`| ${useKafka ? 'Kafka + MariaDB' : 'embedded + SQLite'} | ${r.label} | ${r.count} | ${r.applied} | ${r.writes.toFixed(0)} | ${r.throughput.toFixed(0)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.max.toFixed(0)} |`);
    if (r.applied < r.count) console.log(`WARNING: ${label(r)} only ${r.applied} of ${r.count} applied within 120 s`);
  }

  await sender.stop();
  receiver.send({ stop: true });
  await new Promise((resolve) => receiver.once('exit', resolve));
  await senderTransport.close();
  await senderDb.dataSource.destroy();
  if (env.DB_URL) {
    for (const name of ['single-window', 'civil-status', 'business-registration', 'land', 'tax', 'bench-land']) await dropMysqlDatabase(databaseConfig(name, env));
  }
  process.exit(0);
}

(process.argv.includes('--receiver') ? receiverProcess() : main()).then(() => undefined, (error) => {
  console.error(error);
  process.exit(1);
});
