import http from 'node:http';
import type { RouteHandler } from '../http';
import { httpObserver, RequestObserver } from './http-observer';
import { Logger, logger } from './logger';
import { MetricsConfig, metricsConfigFromEnv, ServiceMetrics } from './metrics';
import { currentTraceId } from './tracing';

/** What one service (the gateway, a subgraph) observes itself with, configured from the environment. */
export interface ServiceObservability {
  logger: Logger;
  /** Undefined with METRICS=off. */
  metrics?: ServiceMetrics;
  config: MetricsConfig;
  /** `GET /metrics`, to serve next to the other routes; empty when off or on its own listener (METRICS_PORT). */
  routes: Record<string, RouteHandler>;
  /** The HTTP server's per-request observer (log line, HTTP series). */
  observe: RequestObserver;
  /** Starts the metrics listener when METRICS_PORT is set; its port, or undefined. */
  listen(): Promise<number | undefined>;
  close(): Promise<void>;
}

export interface ServiceObservabilityOptions {
  env?: NodeJS.ProcessEnv;
  /** Operation names always labelled (see OperationNames). */
  knownOperations?: Iterable<string>;
  /** Default: the process's logger for the service. */
  logger?: Logger;
}

/** Logger, metrics (unless METRICS=off), the request observer and the /metrics route or listener of one service. */
export function serviceObservability(service: string, options: ServiceObservabilityOptions = {}): ServiceObservability {
  const config = metricsConfigFromEnv(options.env);
  const log = options.logger ?? logger(service);
  const metrics = config.enabled
    ? new ServiceMetrics(service, { operations: { known: [...config.operations, ...(options.knownOperations ?? [])], maxLearned: config.maxOperations } })
    : undefined;
  let server: http.Server | undefined;
  const observe = httpObserver({ logger: log, metrics });
  return {
    logger: log,
    metrics,
    config,
    routes: metrics && config.port === undefined ? { 'GET /metrics': metrics.handler() } : {},
    observe(req, res, scope, route) {
      scope.traceId ??= currentTraceId();
      observe(req, res, scope, route);
    },
    async listen() {
      if (!metrics || config.port === undefined) return undefined;
      const handler = metrics.handler();
      server = http.createServer((req, res) => {
        if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics') return void handler(req, res);
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      });
      const listening = server;
      return new Promise((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(config.port, config.host, () => {
          listening.off('error', reject);
          resolve((listening.address() as { port: number }).port);
        });
      });
    },
    async close() {
      const listening = server;
      server = undefined;
      if (listening) await new Promise<void>((resolve) => listening.close(() => resolve()));
    },
  };
}
