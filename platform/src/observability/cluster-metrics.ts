import cluster from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';

/** Set by `runClustered` in its workers' environment: their /metrics is the whole cluster's. */
export const CLUSTER_WORKER_ENV = 'ONESTOP_CLUSTER_WORKER';

const ASK = 'onestop:cluster-metrics';
const ANSWER = 'onestop:cluster-metrics-answer';

interface Answer {
  type: typeof ANSWER;
  id: number;
  body?: string;
  error?: string;
}

/** In a worker of `runClustered`: /metrics answers for every worker together (counters and histograms summed). */
export function inClusterWorker(): boolean {
  return cluster.isWorker && process.env[CLUSTER_WORKER_ENV] === '1';
}

/**
 * In the primary: answers a worker's request for the cluster's metrics by gathering every worker's registries
 * (prom-client's AggregatorRegistry, over the cluster's IPC channel).
 */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== ASK || typeof message.id !== 'number') return;
    const id = message.id;
    aggregator.clusterMetrics().then(
      (body) => worker.isConnected() && worker.send({ type: ANSWER, id, body } satisfies Answer),
      (error: Error) => worker.isConnected() && worker.send({ type: ANSWER, id, error: error.message } satisfies Answer),
    );
  });
}

let registered = false;
let next = 0;
const waiting = new Map<number, { resolve(body: string): void; reject(error: Error): void }>();

/** In a worker: these registries are what the primary gathers from it. */
export function shareWithCluster(registries: Registry[]): void {
  AggregatorRegistry.setRegistries(registries);
  if (registered) return;
  registered = true;
  new AggregatorRegistry(); // answers the primary's gathering requests from now on
  process.on('message', (message: Answer) => {
    if (message?.type !== ANSWER) return;
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.error !== undefined) pending.reject(new Error(message.error));
    else pending.resolve(message.body ?? '');
  });
}

/** In a worker: the whole cluster's exposition, through the primary. */
export function clusterExposition(timeoutMs = 5000): Promise<string> {
  const id = next++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('the cluster primary did not answer'));
    }, timeoutMs);
    waiting.set(id, {
      resolve: (body) => (clearTimeout(timer), resolve(body)),
      reject: (error) => (clearTimeout(timer), reject(error)),
    });
    process.send!({ type: ASK, id });
  });
}
