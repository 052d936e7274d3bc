import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { DataSource, In, IsNull } from 'typeorm';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes } from 'kafkajs';
import {
  OutboxMessage, AccessTable, databaseConfig, describeDatabase, dropMysqlDatabase, EmbeddedTransport, entitiesOf, HANDOFF_ENTITIES, HandoffNode, HANDOFF_MIGRATIONS,
  IncomingMessage, kafkaSecurityFromEnv, KafkaTransport, keysFromEnv, migrationsOf, newMessageId, openDatabase, signEnvelope, statusReport, topicFor,
  transportFromEnv,
} from '@onestop/platform';
import { Dossier, DossierStatus, mayMove, singleWindow, TRANSITIONS } from '@onestop/single-window';
import { Progress, progressBar } from '../cli/progress';
import { seedWithProgress } from '../cli/seed';
import { aclTable, busTopics } from '../cli/kafka-acls-table';

/**
 * `npm run bench:handoffs`: handoffs per second end to end, from the outbox write in the sender's transaction to the
 * inbox commit at the receiver, with the receiver's real effect (single-window applying status reports to dossiers).
 * Uses Kafka and MariaDB (`--brokers` or KAFKA_BROKERS, DB_URL; defaults 127.0.0.1), `--embedded` for the embedded bus
 * and SQLite. A secured cluster through KAFKA_SECURITY=sasl_ssl and its variables (KAFKA_CA_FILE, KAFKA_CREDENTIALS_DIR:
 * kafkaSecurityFromEnv; land and single-window log in as themselves). Every handoff sent must be applied: the bench
 * exits with 1 when one is dead-lettered or not applied within the run.
 */
const USAGE = `npm run bench:handoffs -- [--brokers host:port,…] [--messages 20000] [--rate N] [--seconds 20] [--writers 32]
    [--dossiers 2000] [--wait-seconds 120] [--embedded] [--apply-only N] [--faults]
  --apply-only N: the receiver's apply path alone, in this process and without a bus: N signed status reports in
  batches of up to 100 per partition, 6 partitions at once, through HandoffNode.handleBatch (verification, inbox,
  handlers, log, outbox of the notifications); handoffs/s and CPU ms per handoff.
  Saturation (--messages handoffs as fast as the writers go), then N/s offered for --seconds (default 60 % of the
  saturation rate). Secured bus: KAFKA_SECURITY=sasl_ssl and npm run kafka -- env's variables. Exits with 1 when a
  handoff is dead-lettered or not applied within --wait-seconds of the last write.
  --faults: instead, one burst of --messages (400) handoffs, one per dossier, at --rate (20/s) while the node of the
  cluster of KAFKA_DIR (.cache/kafka) coordinating the receiver's group is killed (kill -9) and restarted, then the receiver process is killed (kill -9)
  and started again; checks in the receiver's database that each was applied exactly once, and prints the recovery times.`;
const label = (r: { label: string }) => r.label;
// (not from the testing helpers: they load @jest/globals, which refuses to load outside jest)
const runId = () => `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `onestop-${prefix}-`));

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const now = () => performance.timeOrigin + performance.now();

/** The cluster's admin (KAFKA_ADMIN_USERNAME, KAFKA_ADMIN_PASSWORD[_FILE] or KAFKA_CREDENTIALS_DIR); none on plaintext. */
function adminSecurity(env: NodeJS.ProcessEnv) {
  return kafkaSecurityFromEnv('admin', {
    ...env, KAFKA_USERNAME: env.KAFKA_ADMIN_USERNAME || 'admin', KAFKA_PASSWORD: env.KAFKA_ADMIN_PASSWORD ?? '', KAFKA_PASSWORD_FILE: env.KAFKA_ADMIN_PASSWORD_FILE ?? '',
  });
}

/**
 * On a secured bus members may not create topics: as admin (KAFKA_ADMIN_PASSWORD[_FILE] or KAFKA_CREDENTIALS_DIR),
 * creates the bench's topics and grants the contracts' ACLs on them (never removing any), as `npm run kafka:acls`
 * would for that prefix. Returns the clean-up: the bench's topics and its topic ACLs go (the shared group ACLs stay).
 */
async function prepareSecuredBus(env: NodeJS.ProcessEnv, prefix: string): Promise<() => Promise<void>> {
  const brokers = env.KAFKA_BROKERS!.split(',').map((b) => b.trim()).filter(Boolean);
  const security = adminSecurity(env);
  const topics = busTopics(prefix);
  const transport = new KafkaTransport({ brokers, clientId: 'onestop-admin', security, partitions: Number(env.HANDOFF_PARTITIONS) || undefined });
  try {
    await transport.ensureTopics(topics);
  } finally {
    await transport.close();
  }
  const rows = aclTable(AccessTable.load(), prefix);
  const acl = (row: (typeof rows)[number]) => ({
    principal: `User:${row.principal}`, host: '*', permissionType: AclPermissionTypes.ALLOW, operation: AclOperationTypes[row.operation],
    resourceType: AclResourceTypes[row.resourceType], resourcePatternType: ResourcePatternTypes[row.pattern], resourceName: row.resource,
  });
  const admin = new Kafka({ clientId: 'onestop-admin', brokers, logLevel: logLevel.NOTHING, ...security }).admin();
  await admin.connect();
  await admin.createAcls({ acl: rows.map(acl) });
  await admin.disconnect();
  // ACLs reach every broker of a cluster a little later
  await new Promise((resolve) => setTimeout(resolve, 3000));
  return async () => {
    await admin.connect();
    try {
      await admin.deleteAcls({ filters: rows.filter((row) => row.resourceType === 'TOPIC').map(acl) });
      await admin.deleteTopics({ topics });
    } finally {
      await admin.disconnect();
    }
  };
}

type Run = (label: string, count: number, offered: number, at?: Record<number, () => Promise<void> | void>) => Promise<{
  count: number; applied: number; deadLettered: Map<string, string>; p50: number; p99: number; max: number; sent: Map<string, number>;
}>;

/**
 * --faults: one burst, one handoff per dossier, with the node of the cluster coordinating the receiver's group killed (kill -9) at 20 % of the sends and
 * started again 10 s later, and the receiving process killed (kill -9) at 60 % and started again. Then, from the
 * receiver's database: every handoff in its inbox, which is the applied log (none lost; one row each: none applied
 * twice), and the redeliveries it ignored. Recovery: after each fault, the longest time without any commit, and the
 * longest end-to-end time of the handoffs sent in the 30 s after it. Returns the failures.
 */
async function faultRun(options: { count: number; rate: number; run: Run; commits: Map<string, number[]>; env: NodeJS.ProcessEnv; killReceiver: () => Promise<void>; senderDb: DataSource }): Promise<string[]> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const kafkaDir = options.env.KAFKA_DIR || path.join(root, '.cache', 'kafka');
  // The broker coordinating the receiver's consumer group: the hardest one to lose (see the transport's consume).
  const brokers = options.env.KAFKA_BROKERS!.split(',').map((b) => b.trim()).filter(Boolean);
  const admin = new KafkaTransport({ brokers, clientId: 'onestop-admin', security: adminSecurity(options.env) });
  const coordinator = await admin.groupCoordinator('onestop-single-window').finally(() => admin.close());
  const pidFile = path.join(kafkaDir, `node${coordinator}`, 'kafka.pid');
  if (!fs.existsSync(pidFile)) throw new Error(`--faults kills node ${coordinator} (the receiver's group coordinator) of the cluster in ${kafkaDir} (KAFKA_DIR), but it has no ${pidFile}: start it with npm run kafka -- start --brokers 3`);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const faults: { name: string; at: number; back?: number }[] = [];
  const result = await options.run(`${options.count} dossiers with faults`, options.count, options.rate, {
    [Math.floor(options.count * 0.2)]: async () => {
      const fault = { name: `broker node ${coordinator} (the receiver's group coordinator) kill -9, restarted 10 s later`, at: now() } as (typeof faults)[number];
      faults.push(fault);
      process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGKILL');
      await sleep(10_000);
      await new Promise<void>((resolve, reject) => {
        execFile('bash', [path.join(root, 'scripts', 'kafka', 'run.sh'), 'start'], { env: { ...process.env, KAFKA_DIR: kafkaDir }, timeout: 240_000 },
          (error, stdout) => (error ? reject(new Error(`${error.message}\n${stdout}`)) : resolve()));
      });
      fault.back = now();
    },
    [Math.floor(options.count * 0.6)]: async () => {
      const fault = { name: 'receiver (consumer process) kill -9, started again', at: now() } as (typeof faults)[number];
      faults.push(fault);
      await options.killReceiver();
      fault.back = now();
    },
  });
  const failures: string[] = [];
  const ids = [...result.sent.keys()];
  const db = await openDatabase({ config: databaseConfig('single-window', options.env), entities: entitiesOf(singleWindow), migrations: migrationsOf(singleWindow) });
  // An applied message is its inbox row (one per sender and message id: the inbox is the applied log); a redelivery
  // leaves a DUPLICATE_IGNORED line in the message log instead.
  let inInbox = 0;
  let twice = 0;
  let duplicatesIgnored = 0;
  const missing: string[] = [];
  try {
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      const marks = chunk.map(() => '?').join(',');
      const rows: { messageId: string; n: number | string }[] = await db.dataSource.query(
        `SELECT message_id AS messageId, COUNT(*) AS n FROM handoff_inbox WHERE sender = 'land' AND message_id IN (${marks}) GROUP BY message_id`, chunk);
      inInbox += rows.length;
      twice += rows.filter((r) => Number(r.n) > 1).length;
      const found = new Set(rows.map((r) => r.messageId));
      missing.push(...chunk.filter((id) => !found.has(id)));
      duplicatesIgnored += Number((await db.dataSource.query(
        `SELECT COUNT(*) AS n FROM handoff_log WHERE recorded_by = 'single-window' AND direction = 'RECEIVED' AND outcome = 'DUPLICATE_IGNORED' AND message_id IN (${marks})`, chunk))[0].n);
    }
  } finally {
    await db.dataSource.destroy();
  }
  // what became of the missing ones on the sender's side: never published (outbox), or published and not applied
  const unpublished = missing.length ? await options.senderDb.getRepository(OutboxMessage).count({ where: { messageId: In(missing), sentAt: IsNull() } }) : 0;
  const reportedTwice = ids.filter((id) => (options.commits.get(id)?.length ?? 0) > 1).length;
  const lost = ids.length - inInbox;
  console.log(`\nFaults on ${options.env.KAFKA_BROKERS} (${options.env.KAFKA_SECURITY || 'plaintext'}), ${options.count} dossiers at ${options.rate}/s:`);
  console.log(`  sent ${ids.length}; applied (in the receiver's inbox) ${inInbox} (lost: ${lost}${lost ? `, of which ${unpublished} still in the sender's outbox` : ''}); applied twice: ${twice} (commits reported twice: ${reportedTwice}); redeliveries ignored as duplicates: ${duplicatesIgnored}; dead-lettered: ${result.deadLettered.size}`);
  const commitTimes = [...options.commits.values()].flat().sort((a, b) => a - b);
  for (const fault of faults) {
    const after = commitTimes.filter((t) => t >= fault.at);
    let gap = after.length ? after[0] - fault.at : Infinity;
    for (let i = 1; i < after.length && after[i] < fault.at + 120_000; i++) gap = Math.max(gap, after[i] - after[i - 1]);
    const window = ids.filter((id) => result.sent.get(id)! >= fault.at && result.sent.get(id)! < fault.at + 30_000);
    const slowest = Math.max(0, ...window.map((id) => (options.commits.get(id)?.[0] ?? Infinity) - result.sent.get(id)!));
    console.log(`  ${fault.name}: longest time without a commit ${(gap / 1000).toFixed(1)} s; slowest handoff sent in the 30 s after it ${(slowest / 1000).toFixed(1)} s${fault.back ? `; back after ${((fault.back - fault.at) / 1000).toFixed(1)} s` : ''}`);
  }
  console.log(`  end to end over the burst: p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, max ${result.max.toFixed(0)} ms`);
  if (lost) failures.push(`${lost} of ${ids.length} handoffs not in the receiver's inbox (${unpublished} never published)`);
  if (twice || reportedTwice) failures.push(`${Math.max(twice, reportedTwice)} handoffs applied twice`);
  if (result.deadLettered.size) failures.push(`${result.deadLettered.size} dead-lettered`);
  return failures;
}

/** The receiving agency in its own process, as in production: reports each commit's time to the bench. */
async function receiverProcess(): Promise<void> {
  const env = process.env;
  const db = await openDatabase({ config: databaseConfig('single-window', env), entities: entitiesOf(singleWindow), migrations: migrationsOf(singleWindow) });
  const transport = transportFromEnv('single-window', env);
  const node = new HandoffNode({
    member: 'single-window', dataSource: db.dataSource, transport, keys: keysFromEnv('single-window', env), handlers: singleWindow.handoffs!,
    // a dead letter fails the bench: the parent is told which message and why
    log: (entry) => {
      if (/dead-letter/.test(String(entry.msg)) && entry.messageId) process.send!({ deadLettered: String(entry.messageId), reason: String(entry.reason ?? entry.msg) });
      // warnings too: a stalled consumer, a retried fault, a lost lease explain a slow run
      else if (entry.level === 'error' || entry.level === 'warn') console.error(JSON.stringify(entry));
    },
    afterCommit: (applied) => {
      const at = now();
      process.send!({ applied: applied.map((e) => e.messageId), at });
    },
  });
  // An orphan receiver would stay in the consumer group (its id has no topic prefix) and, as its leader, assign the next
  // run's partitions to no one: it goes with the bench.
  process.on('disconnect', () => process.exit(1));
  await node.start();
  process.send!({ ready: true });
  process.on('message', async (message: { stop?: boolean; cpu?: boolean }) => {
    if (message.cpu) process.send!({ cpu: process.cpuUsage() });
    if (!message.stop) return;
    await node.stop();
    await transport.close();
    await db.dataSource.destroy();
    process.exit(0);
  });
}

/**
 * The apply path alone: signed status reports handed to HandoffNode.handleBatch as the Kafka consumer would (batches
 * of up to 100 per partition, partitions at once), on the receiver's real database and handlers. Fails unless every
 * report is applied.
 */
async function applyOnly(env: NodeJS.ProcessEnv, codes: string[], count: number): Promise<void> {
  const PARTITIONS = 6;
  const BATCH = 100;
  const db = await openDatabase({ config: databaseConfig('single-window', env), entities: entitiesOf(singleWindow), migrations: migrationsOf(singleWindow) });
  const bus = new EmbeddedTransport(path.join(env.DATA_DIR!, 'apply-only-bus.sqlite'));
  let applied = 0;
  let deadLettered = 0;
  const node = new HandoffNode({
    member: 'single-window', dataSource: db.dataSource, transport: bus, keys: keysFromEnv('single-window', env), handlers: singleWindow.handoffs!,
    log: (entry) => {
      if (/dead-letter/.test(String(entry.msg))) deadLettered++;
    },
    afterCommit: (envelopes) => void (applied += envelopes.length),
  });
  const land = keysFromEnv('land', env);
  const run = async (label: string, n: number) => {
    // partition by dossier, as the bus does: a dossier's reports stay in order
    const partitions: IncomingMessage[][] = Array.from({ length: PARTITIONS }, () => []);
    for (let index = 0; index < n; index++) {
      const code = codes[index % codes.length];
      const report = statusReport({ dossierCode: code, statusCode: 4, status: index % 2 ? 'IN_APPRAISAL' : 'APPROVAL', unitCode: 'land' });
      const envelope = signEnvelope({
        messageId: newMessageId(), correlationId: code, sender: 'land', recipient: 'single-window', messageType: report.messageType, schemaVersion: 1,
        issuedAt: new Date().toISOString(), officerId: null, payload: report.payload,
      }, land.privateKey);
      const partition = (index % codes.length) % PARTITIONS;
      partitions[partition].push({
        topic: topicFor('single-window'), partition, offset: String(partitions[partition].length), key: code, value: Buffer.from(JSON.stringify(envelope)), headers: {},
      });
    }
    applied = 0;
    deadLettered = 0;
    const cpu = process.cpuUsage();
    const started = now();
    await Promise.all(partitions.map(async (messages) => {
      for (let i = 0; i < messages.length; i += BATCH) await node.handleBatch(messages.slice(i, i + BATCH));
    }));
    const seconds = (now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    console.log(`| ${label} | ${n} | ${applied} | ${deadLettered} | ${(applied / seconds).toFixed(0)} | ${((used.user + used.system) / 1000 / n).toFixed(2)} |`);
    if (applied !== n) throw new Error(`${label}: ${applied} of ${n} applied, ${deadLettered} dead-lettered`);
  };
  console.log(`Apply path alone on ${describeDatabase(databaseConfig('single-window', env))}: ${PARTITIONS} partitions at once, batches of up to ${BATCH}.
| run | handoffs | applied | dead-lettered | handoffs/s | CPU ms/handoff |
|---|---:|---:|---:|---:|---:|`);
  await run('warm-up', Math.min(2000, count));
  await run('measured', count);
  await node.stop();
  await bus.close();
  await db.dataSource.destroy();
}

async function main() {
  const { values } = parseArgs({ options: {
    messages: { type: 'string' }, writers: { type: 'string' }, dossiers: { type: 'string' }, embedded: { type: 'boolean' }, rate: { type: 'string' },
    seconds: { type: 'string' }, brokers: { type: 'string' }, 'wait-seconds': { type: 'string' }, help: { type: 'boolean' }, 'apply-only': { type: 'string' },
    faults: { type: 'boolean' },
  } });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.brokers !== undefined) process.env.KAFKA_BROKERS = values.brokers;
  // one log line per handoff at info would drown the results (and the sender's and receiver's logs are not measured)
  process.env.LOG_LEVEL ??= 'warn';
  const total = Number(values.messages ?? 20_000);
  const writers = Number(values.writers ?? 32);
  /** Offered load in handoffs/s (0 = as fast as the writers go): latency is measured at a rate the pipeline sustains. */
  const rate = Number(values.rate ?? 0);
  /** How long after the last write every handoff must have been applied. */
  const waitSeconds = Number(values['wait-seconds'] ?? 120);
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
  const secured = useKafka && (env.KAFKA_SECURITY || '').toLowerCase() === 'sasl_ssl';
  const cleanUpBus = secured ? await prepareSecuredBus(env, env.HANDOFF_TOPIC_PREFIX!) : undefined;
  console.log(`Seeding the single-window registry (${describeDatabase(databaseConfig('single-window', env))})…`);
  // (--faults sends one handoff per dossier: a larger registry has enough open dossiers for its burst)
  await seedWithProgress({ citizens: values.faults ? 6000 : 2000, env });

  const receiverDb = await openDatabase({ config: databaseConfig('single-window', env), entities: entitiesOf(singleWindow), migrations: migrationsOf(singleWindow) });
  // The reports alternate IN_APPRAISAL and APPROVAL: only dossiers from which both are legal moves (not DRAFT, not ended).
  const reportable = (Object.keys(TRANSITIONS) as DossierStatus[])
    .filter((s) => mayMove(s, DossierStatus.IN_APPRAISAL) && mayMove(s, DossierStatus.APPROVAL));
  const open = await receiverDb.dataSource.getRepository(Dossier).find({
    select: { code: true }, where: { status: In(reportable) }, take: Number(values.dossiers ?? 2000),
  });
  await receiverDb.dataSource.destroy();
  if (!open.length) throw new Error('no open dossiers to report on');
  if (values['apply-only']) {
    await applyOnly(env, open.map((d) => d.code), Number(values['apply-only']));
    if (env.DB_URL) for (const name of ['single-window', 'civil-status', 'business-registration', 'land', 'tax']) await dropMysqlDatabase(databaseConfig(name, env));
    process.exit(0);
  }
  const senderDb = await openDatabase({ config: databaseConfig('bench-land', env), entities: HANDOFF_ENTITIES, migrations: HANDOFF_MIGRATIONS });

  // Each phase registers its messages here; the receiver's commit reports are matched against them.
  let phase: {
    sent: Map<string, number>; latencies: number[]; lastCommit: number; total: number; deadLettered: Map<string, string>; done: () => void;
    progress: Progress; dossierOf?: Map<number, string>;
  } | undefined;
  /** CPU seconds the receiving process has used so far (user + system): its cost per handoff, whatever else runs. */
  let cpuWaiter: ((seconds: number) => void) | undefined;
  const receiverCpu = () => new Promise<number>((resolve) => {
    cpuWaiter = resolve;
    receiver.send({ cpu: true });
  });
  const ownCpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  /** Every commit the receivers reported, by message id (a second one would be a message applied twice). */
  const commits = new Map<string, number[]>();
  const startReceiver = () => {
    const child = fork(__filename, ['--receiver'], { env });
    const ready = new Promise<void>((resolve, reject) => {
      child.once('exit', (code, signal) => reject(new Error(`receiver exited with ${code ?? signal}`)));
      child.on('message', (message: { ready?: boolean; applied?: string[]; at?: number; deadLettered?: string; reason?: string; cpu?: NodeJS.CpuUsage }) => {
        if (message.ready) resolve();
        if (message.cpu) cpuWaiter?.((message.cpu.user + message.cpu.system) / 1e6);
        for (const id of message.applied ?? []) commits.set(id, [...(commits.get(id) ?? []), message.at!]);
        if (!phase) return;
        if (message.deadLettered && phase.sent.has(message.deadLettered)) phase.deadLettered.set(message.deadLettered, message.reason ?? '');
        let applied = 0;
        for (const id of message.applied ?? []) {
          const at = phase.sent.get(id);
          if (at === undefined || commits.get(id)!.length > 1) continue;
          phase.latencies.push(message.at! - at);
          phase.lastCommit = Math.max(phase.lastCommit, message.at!);
          applied++;
        }
        phase.progress.increment(applied, phase.deadLettered.size ? `${phase.deadLettered.size} dead-lettered` : 'applied');
        if (phase.latencies.length + phase.deadLettered.size >= phase.total) phase.done();
      });
    });
    return { child, ready };
  };
  const first = startReceiver();
  let receiver = first.child;
  await first.ready;
  const senderTransport = transportFromEnv('land', env);
  const sender = new HandoffNode({ member: 'land', dataSource: senderDb.dataSource, transport: senderTransport, keys: keysFromEnv('land', env), handlers: {}, relayIntervalMs: 20 });
  await sender.start();
  /** Stops both sides, drops the bench's databases, and exits with 1 naming the failures, if any. */
  const finish = async (failures: string[], heading: string, success?: string): Promise<never> => {
    await sender.stop();
    receiver.send({ stop: true });
    await new Promise((resolve) => receiver.once('exit', resolve));
    await senderTransport.close();
    await senderDb.dataSource.destroy();
    await cleanUpBus?.();
    if (env.DB_URL) {
      for (const name of ['single-window', 'civil-status', 'business-registration', 'land', 'tax', 'bench-land']) await dropMysqlDatabase(databaseConfig(name, env));
    }
    if (failures.length) {
      console.error(`\n${heading}\n${failures.map((f) => `  - ${f}`).join('\n')}`);
      process.exit(1);
    }
    if (success) console.log(success);
    process.exit(0);
  };
  const brokerCount = (env.KAFKA_BROKERS ?? '').split(',').filter(Boolean).length;
  const security = (env.KAFKA_SECURITY || 'plaintext').toLowerCase();
  const bus = useKafka ? `Kafka ×${brokerCount} ${security}` : 'embedded';
  console.log(`Bus: ${useKafka ? `Kafka ${env.KAFKA_BROKERS} (${security}, ${env.HANDOFF_PARTITIONS} partitions)` : 'embedded'}; databases: ${describeDatabase(databaseConfig('single-window', env))}`);
  console.log(`Status reports over ${open.length} open dossiers from ${writers} concurrent writers; sender and receiver in separate processes.`);

  /** Sends `count` handoffs (at `offered`/s, or as fast as the writers go) and waits until the receiver committed them all. */
  const run = async (label: string, count: number, offered: number, hooks: Record<number, () => Promise<void> | void> = {}) => {
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => { done = resolve; });
    const progress = progressBar(label, count, { unit: 'applied' });
    phase = { sent: new Map(), latencies: [], lastCommit: 0, total: count, deadLettered: new Map(), done, progress };
    const current = phase;
    const cpuBefore = { receiver: await receiverCpu(), sender: ownCpu() };
    const started = now();
    let next = 0;
    const writer = async () => {
      for (;;) {
        const index = next++;
        if (index >= count) return;
        // (a fault hook runs in the background: the writers go on meanwhile, as the agencies' officers would)
        if (hooks[index]) void Promise.resolve(hooks[index]()).catch((error) => console.error(`fault at ${index}: ${String(error)}`));
        if (offered) {
          const wait = started + (index / offered) * 1000 - now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        const dossierCode = open[index % open.length].code;
        current.dossierOf?.set(index, dossierCode);
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
    const timeout = setTimeout(() => done(), waitSeconds * 1000);
    await finished;
    clearTimeout(timeout);
    progress.stop();
    const cpu = { receiver: (await receiverCpu()) - cpuBefore.receiver, sender: ownCpu() - cpuBefore.sender };
    const latencies = [...current.latencies].sort((a, b) => a - b);
    return {
      label, count, applied: latencies.length, deadLettered: current.deadLettered,
      writes: count / ((written - started) / 1000),
      throughput: latencies.length / ((current.lastCommit - started) / 1000),
      p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? 0, sent: current.sent,
      receiverCpuMs: (cpu.receiver * 1000) / Math.max(1, latencies.length), senderCpuMs: (cpu.sender * 1000) / count,
    };
  };

  if (values.faults) {
    const failures = await faultRun({
      count: Math.min(Number(values.messages ?? 400), open.length), rate: rate || 20, run, commits, env, senderDb: senderDb.dataSource,
      killReceiver: async () => {
        const old = receiver;
        old.removeAllListeners('exit');
        const gone = new Promise((resolve) => old.once('exit', resolve));
        old.kill('SIGKILL');
        await gone;
        const next = startReceiver();
        receiver = next.child;
        await next.ready;
      },
    });
    await finish(failures, 'FAILED:');
  }

  // Warm-up (JIT, connection pools, consumer group, topic metadata): run, not reported.
  const warmUp = await run('warm-up', Math.min(3000, total), rate || 0);
  const results = [];
  const saturation = await run('saturation', total, 0);
  results.push(saturation);
  const steady = rate || Math.max(50, Math.round((saturation.throughput * 0.6) / 50) * 50);
  results.push(await run(`${steady}/s offered`, Math.round(steady * Number(values.seconds ?? 20)), steady));
  console.log(`
| bus | load | handoffs | applied | outbox writes/s | end-to-end handoffs/s | p50 ms | p99 ms | max ms | receiver CPU ms/handoff | sender CPU ms/handoff |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  const failures: string[] = [];
  for (const r of [warmUp, ...results]) {
    if (r !== warmUp) console.log(`| ${bus} + ${env.DB_URL ? 'MariaDB' : 'SQLite'} | ${r.label} | ${r.count} | ${r.applied} | ${r.writes.toFixed(0)} | ${r.throughput.toFixed(0)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.max.toFixed(0)} | ${r.receiverCpuMs.toFixed(2)} | ${r.senderCpuMs.toFixed(2)} |`);
    if (r.deadLettered.size) {
      const [first, reason] = [...r.deadLettered][0];
      failures.push(`${label(r)}: ${r.deadLettered.size} of ${r.count} dead-lettered (first ${first}: ${reason})`);
    }
    const missing = r.count - r.applied - r.deadLettered.size;
    if (missing > 0) failures.push(`${label(r)}: ${missing} of ${r.count} not applied within ${waitSeconds} s after the last write`);
  }

  await finish(failures, 'FAILED: every handoff sent must be applied.', '\nEvery handoff sent was applied, none dead-lettered.');
}

(process.argv.includes('--receiver') ? receiverProcess() : main()).then(() => undefined, (error) => {
  console.error(error);
  process.exit(1);
});
