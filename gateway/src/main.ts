#!/usr/bin/env node
import cluster from 'node:cluster';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { entryLog, exitWithParent, intFromEnv, logger, startTracing } from '@onestop/platform/gateway';
import { limitHeapGrowth } from './heap-growth';
import { runClusterPrimary, workersFromEnv } from './cluster';

const USAGE = `Usage: onestop-gateway [--supergraph FILE] [--port N] [--host H] [--subgraph NAME=URL ...] [--timeout MS] [--no-watch]

Serves any supergraph composed offline (default schemas/supergraph.graphql), reloading it when the file changes.
Environment: SUPERGRAPH_PATH, GATEWAY_PORT (or PORT), GATEWAY_HOST, SUBGRAPH_TIMEOUT_MS,
SUBGRAPH_URL_<NAME> (e.g. SUBGRAPH_URL_SINGLE_WINDOW=http://10.0.0.5:4001/graphql). Flags win over environment.
Operation limits: GATEWAY_MAX_DEPTH, GATEWAY_MAX_ALIASES, GATEWAY_MAX_ROOT_FIELDS, GATEWAY_MAX_COST,
GATEWAY_DEFAULT_LIST_SIZE, GATEWAY_OPERATION_LIMITS=off, GATEWAY_MAX_TOKENS (5000; a longer document is refused unparsed); GATEWAY_RATE_LIMIT (requests/s per client, or off;
default 50 in production, off elsewhere), GATEWAY_RATE_BURST, GATEWAY_RATE_LIMIT_EXEMPT (client ids, or loopback),
REDIS_URL (counts shared by every gateway process through Redis; per process otherwise), GATEWAY_RATE_LIMIT_KEY_PREFIX;
GATEWAY_INTROSPECTION=on|off|roles, GATEWAY_INTROSPECTION_ROLES; GATEWAY_PERSISTED_OPERATIONS=off|allowlist,
GATEWAY_OPERATIONS_MANIFEST, GATEWAY_ANY_OPERATION_ROLES (roles not held to the allowlist, or none).
Authentication: AUTH_JWKS_URL and/or AUTH_PUBLIC_KEYS (PEM files), AUTH_ISSUER, AUTH_AUDIENCE (default onestop-graph),
GATEWAY_ANONYMOUS=off (refuse requests without a token; default: they reach public data only),
GATEWAY_IDENTITY_KEY (private key signing the caller's identity for subgraphs; dev keys in AUTH_KEYS_DIR otherwise).
Browsers: GATEWAY_CORS_ORIGINS (exact origins, comma-separated, or none, whose pages may call /graphql and open its
WebSocket; the gateway's own origin always may; default none in production, loopback pages elsewhere).
Explorer: GATEWAY_EXPLORER=on|off (GraphiQL at /explorer; default on, off when NODE_ENV=production).
Portal: GATEWAY_PORTAL=on|off (the reference portal at /portal/, from portal/dist or GATEWAY_PORTAL_DIR; default on, off
when NODE_ENV=production).
Catalogue cache: GATEWAY_RESPONSE_CACHE=off, GATEWAY_RESPONSE_CACHE_TTL_MS (60000), GATEWAY_RESPONSE_CACHE_ENTRIES (1000).
Query plans: GATEWAY_QUERY_PLAN_CACHE_MIB (30) of plans kept, least recently used dropped first.
Processes: GATEWAY_WORKERS (1; a number, or auto = one per core) gateway workers sharing the port, restarted when one
dies; /metrics answers for all of them; GATEWAY_RATE_LIMIT applies per worker unless REDIS_URL is set.
Memory: GATEWAY_HEAP_GROWTH_PERCENT (50; V8's old-generation growth between full collections, or off).
Operations: GET /metrics (METRICS=off, or METRICS_PORT/METRICS_HOST for a listener of its own), LOG_LEVEL (info),
OTEL_EXPORTER_OTLP_ENDPOINT (OpenTelemetry traces over OTLP/HTTP; off when unset).`;

/** SUBGRAPH_URL_SINGLE_WINDOW → single-window; names in the supergraph use hyphens or underscores. */
function urlsFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('SUBGRAPH_URL_') || !value) continue;
    const name = key.slice('SUBGRAPH_URL_'.length).toLowerCase();
    urls[name] = value;
    urls[name.replace(/_/g, '-')] = value;
  }
  return urls;
}

const log = (entry: Record<string, unknown>) => entryLog(logger('gateway'))(entry);

async function main() {
  exitWithParent();
  limitHeapGrowth();
  const { values } = parseArgs({
    options: {
      supergraph: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      subgraph: { type: 'string', multiple: true },
      timeout: { type: 'string' },
      'no-watch': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const subgraphUrls = urlsFromEnv(process.env);
  for (const pair of values.subgraph ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--subgraph takes NAME=URL, got "${pair}"`);
    subgraphUrls[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const supergraphPath = path.resolve(values.supergraph ?? process.env.SUPERGRAPH_PATH ?? 'schemas/supergraph.graphql');
  const port = values.port !== undefined ? Number(values.port) : intFromEnv('GATEWAY_PORT', intFromEnv('PORT', 4000));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${values.port}`);
  const workers = workersFromEnv();
  if (workers > 1 && cluster.isPrimary) return runClusterPrimary({ workers, log });
  // Loaded here, not above: a cluster's primary serves no requests and needs none of it (~60 MiB less).
  const { startGateway } = await import('./index');
  const { operationLimitsFromEnv } = await import('./plugins/use-operation-limits');
  const { rateLimitFromEnv } = await import('./plugins/use-rate-limit');
  const { introspectionFromEnv } = await import('./plugins/use-introspection-policy');
  const { persistedOperationsFromEnv } = await import('./plugins/use-persisted-operations');
  const tracing = startTracing('gateway'); // only with OTEL_EXPORTER_OTLP_ENDPOINT; nothing loaded otherwise
  const running = await startGateway({
    supergraphPath,
    port,
    host: values.host ?? process.env.GATEWAY_HOST ?? '127.0.0.1',
    subgraphUrls,
    subgraphTimeoutMs: values.timeout !== undefined ? Number(values.timeout) : intFromEnv('SUBGRAPH_TIMEOUT_MS', 10_000),
    watch: !values['no-watch'],
    allowAnonymous: process.env.GATEWAY_ANONYMOUS !== 'off',
    subscriptions: process.env.GATEWAY_SUBSCRIPTIONS === 'off' ? false : undefined,
    limits: operationLimitsFromEnv(),
    rateLimit: rateLimitFromEnv(),
    introspection: introspectionFromEnv(),
    persistedOperations: persistedOperationsFromEnv(),
  });
  log({ level: 'info', msg: 'gateway ready', url: running.url, supergraph: supergraphPath });
  const shutdown = async () => {
    await running.stop();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error) => {
  log({ level: 'fatal', msg: String(error?.message ?? error) });
  process.exit(1);
});
