import type http from 'node:http';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';
import type { RequestScope } from './request-scope';

/**
 * Called by the HTTP server when a request arrives (in its request scope), with its route as a bounded label (the
 * GraphQL path or a route's path, else `other`); watches the response to its end.
 */
export type RequestObserver = (req: http.IncomingMessage, res: http.ServerResponse, scope: RequestScope, route: string) => void;

export interface HttpObserverOptions {
  logger?: Logger;
  metrics?: ServiceMetrics;
  /** Paths logged at debug only (probes and scrapes would drown the log). Default /health, /ready, /metrics. */
  quietPaths?: Iterable<string>;
}

function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

/**
 * One JSON line per request (method, path, status, duration, request id, the caller's role and the operation when
 * known) and the HTTP series, both when the response is finished (or the client went away).
 */
export function httpObserver(options: HttpObserverOptions): RequestObserver {
  const quiet = new Set(options.quietPaths ?? ['/health', '/ready', '/metrics']);
  const { logger, metrics } = options;
  return (req, res, scope, route) => {
    const started = process.hrtime.bigint();
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const path = pathOf(req.url);
      const status = aborted && !res.headersSent ? 499 : res.statusCode;
      metrics?.observeHttp(req.method, route, status, seconds);
      if (!logger) return;
      const level = quiet.has(path) ? 'debug' : status >= 500 ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level]({
        msg: 'request', method: req.method, path: path.slice(0, 200), status, durationMs: Math.round(seconds * 1e5) / 100,
        requestId: scope.requestId, role: scope.role, operation: scope.operation, traceId: scope.traceId,
        ...(aborted ? { aborted: true } : {}),
      });
    };
    res.once('finish', () => finish(false));
    res.once('close', () => finish(!res.writableFinished));
  };
}
