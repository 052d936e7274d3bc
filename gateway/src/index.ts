import type http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { close, createHttpServer, securityDisabled, useAccessDenialLog, formatError, identitySignerFromEnv, IdentitySigner, isDevelopment, jwtVerifierFromEnv, JwtVerifier, listen, sendJson } from '@onestop/platform';
import { createAuthenticator } from './authentication';
import type { GatewayContext } from './context';
import { createSubgraphFetcher, SubgraphDataSource } from './subgraph-data-source';
import { SupergraphFile } from './supergraph-file';
import { explorerEnabled, explorerRoutes } from './explorer';
import { useSupergraphStatus, SupergraphStatus } from './plugins/use-supergraph-status';
import { useTelemetryOff } from './plugins/use-telemetry-off';
import { useOperationLimits, OperationLimitsOptions } from './plugins/use-operation-limits';
import { defaultRateLimit, useRateLimit, RateLimitOptions } from './plugins/use-rate-limit';
import { introspectionMode, useIntrospectionPolicy, IntrospectionPolicyOptions } from './plugins/use-introspection-policy';
import { usePersistedOperations, PersistedOperationsOptions } from './plugins/use-persisted-operations';

export interface GatewayOptions {
  supergraphPath: string;
  port?: number;
  host?: string;
  /** Subgraph URL overrides by subgraph name; the supergraph's own URLs are used otherwise. */
  subgraphUrls?: Record<string, string>;
  subgraphTimeoutMs?: number;
  subgraphConnections?: number;
  watch?: boolean;
  maxBodyBytes?: number;
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /** Callers' tokens; default from AUTH_* (the dev issuer is trusted outside production). */
  jwtVerifier?: JwtVerifier;
  /** Whether requests without a token may read public data; default true (GATEWAY_ANONYMOUS=off refuses them). */
  allowAnonymous?: boolean;
  /** Signs the caller's identity for subgraphs; default from GATEWAY_IDENTITY_KEY (a dev key outside production). */
  identitySigner?: IdentitySigner;
  log?: (entry: Record<string, unknown>) => void;
  /** The analysts' explorer, GET /explorer (self-hosted GraphiQL); default GATEWAY_EXPLORER (on, off in production). */
  explorer?: boolean;

  // What an operation may do (gateway/src/plugins; README "Operation limits"). On by default (the rate limit in
  // production only); `false` turns one off.
  limits?: OperationLimitsOptions | false;
  rateLimit?: RateLimitOptions | false;
  introspection?: IntrospectionPolicyOptions;
  persistedOperations?: PersistedOperationsOptions;
}

/** In this order: every request takes a rate-limit token first, and the first refusal is the one returned. */
function operationPolicy(options: GatewayOptions): ApolloServerPlugin<GatewayContext>[] {
  const rateLimit = options.rateLimit ?? defaultRateLimit();
  return [
    ...(rateLimit === false ? [] : [useRateLimit(rateLimit)]),
    usePersistedOperations(options.persistedOperations),
    useIntrospectionPolicy(options.introspection),
    ...(options.limits === false ? [] : [useOperationLimits(options.limits)]),
  ];
}

export interface RunningGateway {
  url: string;
  port: number;
  server: http.Server;
  status: SupergraphStatus;
  stop(): Promise<void>;
}

async function probe(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const log = options.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const explorer = (options.explorer ?? explorerEnabled()) ? explorerRoutes() : {};
  const plugins = useTelemetryOff();
  const overrides = options.subgraphUrls ?? {};
  const resolveUrl = (name: string, url: string) => overrides[name] ?? url;
  const status: SupergraphStatus = { loaded: false, loadedAt: null, subgraphs: [] };
  const securityOff = securityDisabled();
  const identitySigner = options.identitySigner ?? identitySignerFromEnv();
  const authenticate = createAuthenticator({ verifier: options.jwtVerifier ?? jwtVerifierFromEnv(), allowAnonymous: options.allowAnonymous, log });
  const fetcher = createSubgraphFetcher({
    timeoutMs: options.subgraphTimeoutMs ?? 10_000,
    connections: options.subgraphConnections ?? 64,
  });

  const gateway = new ApolloGateway({
    supergraphSdl: new SupergraphFile({
      path: options.supergraphPath,
      watch: options.watch ?? true,
      onReload: (outcome) =>
        log(outcome.ok
          ? { level: 'info', msg: 'supergraph reloaded', path: options.supergraphPath }
          : { level: 'error', msg: 'supergraph reload rejected; still serving the previous one', error: outcome.error }),
    }),
    buildService: ({ name, url }) => new SubgraphDataSource(name, { url: resolveUrl(name, url ?? ''), fetcher }, securityOff ? undefined : identitySigner),
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: isDevelopment(),
    // Who may introspect is decided per caller by useIntrospectionPolicy; field suggestions go when not everyone may.
    introspection: true,
    hideSchemaDetailsFromClientErrors: introspectionMode(options.introspection) !== 'on',
    plugins: [
      ...plugins, useSupergraphStatus(status, resolveUrl), useAccessDenialLog<GatewayContext>('gateway', log),
      ...(securityOff ? [] : operationPolicy(options)), ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  const server = createHttpServer<GatewayContext>({
    apollo,
    maxBodyBytes: options.maxBodyBytes,
    context: async (req, requestId) => (securityOff ? { requestId, clientId: 'insecure' } : { requestId, ...(await authenticate(req)) }),
    routes: {
      ...explorer,
      'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      'GET /ready': async (_req, res) => {
        const subgraphs = await Promise.all(
          status.subgraphs.map(async ({ name, url }) => ({ name, url, up: await probe(url, 1000) })),
        );
        const ready = status.loaded && subgraphs.every((s) => s.up);
        sendJson(res, ready ? 200 : 503, {
          status: ready ? 'ready' : 'unavailable',
          pid: process.pid,
          supergraphLoadedAt: status.loadedAt,
          subgraphs,
        });
      },
    },
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 4000, host);
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    server,
    status,
    async stop() {
      await close(server);
      await apollo.stop();
    },
  };
}

export { SupergraphFile } from './supergraph-file';
export { createSubgraphFetcher, SubgraphDataSource } from './subgraph-data-source';
export type { GatewayContext } from './context';
export { explorerCsp, explorerEnabled, explorerRoutes, SAVED_QUERIES } from './explorer';
export type { SavedQuery } from './explorer';
export { buildManifest, invalidOperations, readOperationSources } from './plugins/use-persisted-operations';
