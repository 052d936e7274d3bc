import http from 'node:http';
import client, { Counter, Histogram, Registry } from 'prom-client';
import { PUBLIC_ERROR_CODES } from '../errors';
import { clusterExposition, inClusterWorker, shareWithCluster } from './cluster-metrics';

/** For other packages' series (the gateway's): prom-client is a dependency of the platform only. */
export { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; GraphQL requests here take from a millisecond (a cached lookup) to seconds (a big report). */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Every series of this repository starts with it; the default process metrics keep their standard names. */
export const METRIC_PREFIX = 'onestop_';

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
/** What the gateway's query planner appends to the operation it sends a subgraph: `Overview__single_window__0`. */
const PLANNER_SUFFIX = /^(.+)__[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*__\d+$/;

export interface OperationNamesOptions {
  /** Always labelled by name (the persisted-operation manifest, saved reports…). */
  known?: Iterable<string>;
  /** Other names labelled as they first come, up to this many; later ones are `other`. Default 50. */
  maxLearned?: number;
}

/**
 * Bounds the `operation` label: a known name as is; other valid names as they come until `maxLearned` distinct ones
 * were seen, then `other`; no name `anonymous`. A subgraph request named by the gateway's planner
 * (`Submit__single_window__0`) counts as its client operation (`Submit`).
 */
export class OperationNames {
  private readonly known: Set<string>;
  private readonly learned = new Set<string>();
  private readonly maxLearned: number;

  constructor(options: OperationNamesOptions = {}) {
    this.known = new Set(options.known ?? []);
    this.maxLearned = options.maxLearned ?? 50;
  }

  label(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    const planned = PLANNER_SUFFIX.exec(name);
    const base = planned ? planned[1] : name;
    if (this.known.has(base) || this.learned.has(base)) return base;
    if (!VALID_NAME.test(base) || this.learned.size >= this.maxLearned) return 'other';
    this.learned.add(base);
    return base;
  }
}

const ERROR_CODES = new Set([...PUBLIC_ERROR_CODES, 'INTERNAL_SERVER_ERROR', 'DOWNSTREAM_SERVICE_ERROR', 'HTTP_ERROR']);

/** An error code as a label: the codes this platform defines, else `OTHER` (so a subgraph cannot grow the series). */
export function errorCodeLabel(code: unknown): string {
  if (code === undefined || code === null) return 'NONE';
  const text = String(code);
  return ERROR_CODES.has(text) ? text : 'OTHER';
}

const HTTP_METHODS = new Set(['GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']);

let processRegistry: Registry | undefined;

/** Node's process metrics (CPU, memory, event loop lag, GC, handles), collected once per process. */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    client.collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export interface ServiceMetricsOptions {
  operations?: OperationNamesOptions;
  /** Include the process metrics in the exposition (default true). */
  processMetrics?: boolean;
}

/**
 * One service's series (the gateway's or a subgraph's) in its own registry, so several services can live in one
 * process (tests) without clashing; `service` is a label on each. Others (subgraph fetches, handoffs) register theirs
 * in `registry`.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly operations: OperationNames;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly graphqlRequests: Counter<'operation'>;
  readonly graphqlDuration: Histogram<'operation'>;
  readonly graphqlErrors: Counter<'operation' | 'code'>;
  private readonly process?: Registry;

  constructor(readonly service: string, options: ServiceMetricsOptions = {}) {
    this.registry.setDefaultLabels({ service });
    this.operations = new OperationNames(options.operations);
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: `${METRIC_PREFIX}http_requests_total`, help: 'HTTP requests served, by method, route (a known path, else other) and status',
      labelNames: ['method', 'route', 'status'], registers,
    });
    this.httpDuration = new Histogram({
      name: `${METRIC_PREFIX}http_request_duration_seconds`, help: 'Time from request to the last byte of the response',
      labelNames: ['method', 'route'], buckets: LATENCY_BUCKETS, registers,
    });
    this.graphqlRequests = new Counter({
      name: `${METRIC_PREFIX}graphql_requests_total`, help: 'GraphQL operations, by operation name (known names; anonymous, other)',
      labelNames: ['operation'], registers,
    });
    this.graphqlDuration = new Histogram({
      name: `${METRIC_PREFIX}graphql_request_duration_seconds`, help: 'GraphQL operation time, from request to response, by operation name',
      labelNames: ['operation'], buckets: LATENCY_BUCKETS, registers,
    });
    this.graphqlErrors = new Counter({
      name: `${METRIC_PREFIX}graphql_errors_total`, help: 'Errors in GraphQL responses, by operation name and extensions.code',
      labelNames: ['operation', 'code'], registers,
    });
    // not Registry.merge: a merged registry would not apply this one's default labels
    this.process = options.processMetrics === false ? undefined : processMetrics();
    if (inClusterWorker()) shareWithCluster(this.process ? [this.process, this.registry] : [this.registry]);
  }

  /** Counts an HTTP request; `route` must already be bounded (a known path or `other`). */
  observeHttp(method: string | undefined, route: string, status: number, seconds: number): void {
    const m = method && HTTP_METHODS.has(method) ? method : 'other';
    this.httpRequests.inc({ method: m, route, status: String(status) });
    this.httpDuration.observe({ method: m, route }, seconds);
  }

  /** The text exposition (Prometheus 0.0.4); collectors run now (each with its own cache). In a cluster, every worker's. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    if (inClusterWorker()) return { contentType: this.registry.contentType, body: await clusterExposition() };
    const [own, process] = await Promise.all([this.registry.metrics(), this.process?.metrics()]);
    return { contentType: this.registry.contentType, body: process ? `${process}\n${own}` : own };
  }

  /** `GET /metrics`. */
  handler(): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
    return async (_req, res) => {
      try {
        const { contentType, body } = await this.exposition();
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`metrics collection failed: ${String(error)}\n`);
      }
    };
  }
}

/**
 * A value computed on scrape, at most once per `ttlMs` (a COUNT query, a broker round trip); concurrent scrapes share
 * one computation. A failure is remembered for the same time, so a dead broker is not asked on every scrape.
 */
export function cached<T>(ttlMs: number, compute: () => Promise<T>, now: () => number = () => Date.now()): () => Promise<T> {
  let at = -Infinity;
  let value: Promise<T> | undefined;
  return () => {
    const t = now();
    if (!value || t - at >= ttlMs) {
      at = t;
      value = compute();
      value.catch(() => undefined);
    }
    return value;
  };
}

export interface MetricsConfig {
  enabled: boolean;
  /** Serve /metrics on its own listener (METRICS_PORT), not next to /graphql. */
  port?: number;
  host: string;
  /** Distinct operation names labelled before `other` (METRICS_MAX_OPERATIONS). */
  maxOperations: number;
  /** Operation names always labelled (METRICS_OPERATIONS, comma-separated). */
  operations: string[];
}

/**
 * METRICS=off turns /metrics and the series off; METRICS_PORT (and METRICS_HOST, default 127.0.0.1) serves them on a
 * listener of their own instead of next to /graphql; METRICS_MAX_OPERATIONS (50), METRICS_OPERATIONS.
 */
export function metricsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MetricsConfig {
  const raw = (env.METRICS ?? 'on').trim().toLowerCase();
  if (!['on', 'off', '1', '0', 'true', 'false'].includes(raw)) throw new Error(`METRICS must be on or off, got "${env.METRICS}"`);
  const port = env.METRICS_PORT ? Number(env.METRICS_PORT) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new Error(`METRICS_PORT must be a port number, got "${env.METRICS_PORT}"`);
  const maxOperations = env.METRICS_MAX_OPERATIONS ? Number(env.METRICS_MAX_OPERATIONS) : 50;
  if (!(Number.isInteger(maxOperations) && maxOperations >= 0)) throw new Error(`METRICS_MAX_OPERATIONS must be a whole number, got "${env.METRICS_MAX_OPERATIONS}"`);
  return {
    enabled: raw === 'on' || raw === '1' || raw === 'true',
    port,
    host: env.METRICS_HOST || '127.0.0.1',
    maxOperations,
    operations: (env.METRICS_OPERATIONS ?? '').split(',').map((n) => n.trim()).filter(Boolean),
  };
}
