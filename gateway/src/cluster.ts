import cluster from 'node:cluster';
import os from 'node:os';
import { CLUSTER_WORKER_ENV, serveClusterMetrics } from '@onestop/platform/gateway';

/** GATEWAY_WORKERS: gateway processes sharing the port; a whole number, or `auto` (one per core); default 1. */
export function workersFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = (env.GATEWAY_WORKERS ?? '').trim();
  if (raw === '') return 1;
  if (raw === 'auto') return os.availableParallelism();
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 256) throw new Error(`GATEWAY_WORKERS must be a whole number from 1 to 256, or auto (got "${raw}")`);
  return count;
}

export interface ClusterOptions {
  workers: number;
  log: (entry: Record<string, unknown>) => void;
  /** Workers that die this soon after starting count as a crash loop (default 10 s). */
  crashWindowMs?: number;
  /** Crash-loop deaths in a row after which the primary gives up and exits 1 (default 5). */
  maxCrashes?: number;
}

/**
 * The primary of a gateway cluster: starts `workers` copies of this same program (each a whole gateway; node's
 * cluster hands them the connections of the one port) and replaces one that dies, after a pause that grows while
 * workers keep dying right after starting; after `maxCrashes` such deaths in a row it stops them all and exits 1
 * (a port in use, a broken supergraph). SIGTERM / SIGINT stop the workers (each finishes its requests) and then itself.
 * `/metrics` on any worker answers for all of them.
 */
export function runClusterPrimary(options: ClusterOptions): void {
  const crashWindowMs = options.crashWindowMs ?? 10_000;
  const maxCrashes = options.maxCrashes ?? 5;
  let stopping = false;
  let crashes = 0;
  const startedAt = new Map<number, number>();
  serveClusterMetrics();

  const fork = () => {
    const worker = cluster.fork({ [CLUSTER_WORKER_ENV]: '1' });
    startedAt.set(worker.id, Date.now());
  };
  const alive = () => Object.values(cluster.workers ?? {}).filter((w): w is NonNullable<typeof w> => Boolean(w) && !w!.isDead());

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) {
      if (!alive().length) process.exit(process.exitCode ?? 0);
      return;
    }
    crashes = lived < crashWindowMs ? crashes + 1 : 0;
    if (crashes >= maxCrashes) {
      options.log({ level: 'fatal', msg: 'gateway workers keep dying right after starting; stopping', pid: worker.process.pid, code, signal, crashes });
      process.exitCode = 1;
      stop();
      return;
    }
    const delayMs = crashes ? Math.min(100 * 2 ** crashes, 5000) : 0;
    options.log({ level: 'error', msg: 'gateway worker died; starting another', pid: worker.process.pid, code, signal, livedMs: lived, restartInMs: delayMs });
    setTimeout(() => !stopping && fork(), delayMs);
  });

  const stop = () => {
    if (stopping) return;
    stopping = true;
    const workers = alive();
    if (!workers.length) process.exit(process.exitCode ?? 0);
    for (const worker of workers) worker.process.kill('SIGTERM');
    setTimeout(() => process.exit(process.exitCode ?? 0), 15_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  options.log({ level: 'info', msg: 'gateway cluster starting', workers: options.workers });
  for (let i = 0; i < options.workers; i++) fork();
}
