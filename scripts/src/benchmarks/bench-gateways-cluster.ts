#!/usr/bin/env node
/**
 * `node bench-gateways-cluster.js N SCRIPT [ARGS…]`: runs SCRIPT (a gateway's main) in N node cluster workers sharing
 * one port, the way `hive-gateway --fork N` runs Hive Gateway, so `npm run bench:gateways -- --workers N` compares
 * like with like. The primary only hands connections to the workers (round robin); SIGTERM stops them all.
 */
import cluster from 'node:cluster';

const [count, script, ...args] = process.argv.slice(2);
const workers = Number(count);
if (!Number.isInteger(workers) || workers < 1 || !script) {
  console.error('usage: bench-gateways-cluster N SCRIPT [ARGS…]');
  process.exit(2);
}

let stopping = false;
cluster.setupPrimary({ exec: script, args });
for (let i = 0; i < workers; i++) cluster.fork();
cluster.on('exit', (worker, code, signal) => {
  if (stopping) {
    if (!Object.keys(cluster.workers ?? {}).length) process.exit(0);
    return;
  }
  console.error(JSON.stringify({ level: 'fatal', msg: 'cluster worker exited', pid: worker.process.pid, code, signal }));
  stopping = true;
  for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
  process.exitCode = 1;
});

const stop = () => {
  if (stopping) return;
  stopping = true;
  const alive = Object.values(cluster.workers ?? {});
  if (!alive.length) process.exit(0);
  for (const worker of alive) worker?.process.kill('SIGTERM');
  setTimeout(() => process.exit(0), 5000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

// Go when the bench that started us goes.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 1000).unref();
