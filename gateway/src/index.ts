import type http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { checkScalarVariables, isProduction, scalarLiteralsRule, intFromEnv, close, createHttpServer, securityDisabled, useAccessDenialLog, formatError, identitySignerFromEnv, IdentitySigner, isDevelopment, jwtVerifierFromEnv, JwtVerifier, listen, sendJson } from '@onestop/platform/gateway';
import { createAuthenticator } from './authentication';
import type { GatewayContext } from './context';
import { createSubgraphDispatcher, SubgraphDataSource } from './subgraph-data-source';
import { SupergraphFile } from './supergraph-file';
import { cacheGatewayOperations } from './operation-cache';
import { explorerEnabled, explorerRoutes } from './explorer';
import { useOperationResolution } from './plugins/use-operation-resolution';
import { configuredPortalRoutes } from './portal';
import { documentProxyRoutes } from './documents-proxy';
import { ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { transportFromEnv, Transport } from '@onestop/platform/gateway';
import { DossierStatusFeed } from './subscriptions/status-feed';
import { attachSubscriptions } from './subscriptions/server';
import { useSupergraphStatus, SupergraphStatus } from './plugins/use-supergraph-status';
import { useTelemetryOff } from './plugins/use-telemetry-off';
import { listSizesFromSupergraph, ListSizes, useOperationLimits, OperationLimitsOptions } from './plugins/use-operation-limits';
import { ClientLimiter, createClientLimiter, defaultRateLimit, useRateLimit, RateLimitOptions } from './plugins/use-rate-limit';
import { introspectionMode, useIntrospectionPolicy, IntrospectionPolicyOptions } from './plugins/use-introspection-policy';
import { persistedOperationPolicy, usePersistedOperations, PersistedOperationsOptions } from './plugins/use-persisted-operations';
import { entryLog, serviceObservability, ServiceMetrics } from '@onestop/platform/gateway';
import { knownOperationNames, subgraphFetchMetrics, useMetrics } from './plugins/use-metrics';
import { ResponseCacheOptions, responseCacheFromEnv, useResponseCache } from './plugins/use-response-cache';
import { followCatalogueChanges } from './catalogue-changes';
import { corsPolicy, CorsOptions } from './cors';
import { localizeErrors } from './error-messages';

export interface GatewayOptions {
  supergraphPath: string;
  port?: number;
  host?: string;
  /** Subgraph URL overrides by subgraph name; the supergraph's own URLs are used otherwise. */
  subgraphUrls?: Record<string, string>;
  subgraphTimeoutMs?: number;
  subgraphConnections?: number;
  /** Approximate size of the query plan cache; default GATEWAY_QUERY_PLAN_CACHE_MIB, else 30 (Apollo's default). */
  queryPlanCacheMiB?: number;
  watch?: boolean;
  maxBodyBytes?: number;
  /**
   * Lexical tokens a document may have (graphql-js's parser stops at once past it: GRAPHQL_PARSE_FAILED, 400, before
   * any validation); default GATEWAY_MAX_TOKENS, else DEFAULT_MAX_TOKENS.
   */
  maxTokens?: number;
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /** Callers' tokens; default from AUTH_* (the dev issuer is trusted outside production). */
  jwtVerifier?: JwtVerifier;
  /** Whether requests without a token may read public data; default true (GATEWAY_ANONYMOUS=off refuses them). */
  allowAnonymous?: boolean;
  /** Signs the caller's identity for subgraphs; default from GATEWAY_IDENTITY_KEY (a dev key outside production). */
  identitySigner?: IdentitySigner;
  log?: (entry: Record<string, unknown>) => void;
  /**
   * `subscription { dossierStatusChanged(code) }` over graphql-ws, fed by single-window's status notifications on this
   * bus (default: KAFKA_BROKERS, else the embedded bus file); false turns subscriptions off (GATEWAY_SUBSCRIPTIONS=off).
   */
  subscriptions?: { transport?: Transport } | false;
  /** Which other origins' pages may call the graph (HTTP and WebSocket); default GATEWAY_CORS_ORIGINS (see cors.ts). */
  cors?: CorsOptions;
  /** The analysts' explorer, GET /explorer (self-hosted GraphiQL); default GATEWAY_EXPLORER (on, off in production). */
  explorer?: boolean;
  /** The reference portal, GET /portal/ (portal/dist); default GATEWAY_PORTAL (on, off in production). */
  portal?: boolean;

  // What an operation may do (gateway/src/plugins; README "Operation limits"). On by default (the rate limit in
  // production only); `false` turns one off.
  limits?: OperationLimitsOptions | false;
  rateLimit?: RateLimitOptions | false;
  introspection?: IntrospectionPolicyOptions;
  persistedOperations?: PersistedOperationsOptions;
  /**
   * Whole answers to public queries (the procedure catalogue), dropped on single-window's catalogue-change
   * notifications (on the subscriptions' bus, or this transport) and on a new supergraph; default
   * GATEWAY_RESPONSE_CACHE*; false turns it off.
   */
  responseCache?: (ResponseCacheOptions & { transport?: Transport }) | false;
}

/** Tokens a document may have by default: the demo's largest operation has ~130, the explorer's saved queries fewer. */
export const DEFAULT_MAX_TOKENS = 5000;

/** In this order: every request is counted for the rate limit first, and the first refusal is the one returned. */
function operationPolicy(options: GatewayOptions, limiter: ClientLimiter | undefined, listSizes: (schema: GraphQLSchema) => ListSizes | undefined): ApolloServerPlugin<GatewayContext>[] {
  const rateLimit = options.rateLimit ?? defaultRateLimit();
  return [
    ...(rateLimit === false || !limiter ? [] : [useRateLimit({ ...rateLimit, limiter })]),
    useOperationResolution(),
    usePersistedOperations(options.persistedOperations),
    useIntrospectionPolicy(options.introspection),
    ...(options.limits === false ? [] : [useOperationLimits({ listSizes, ...options.limits })]),
  ];
}

export interface RunningGateway {
  url: string;
  port: number;
  server: http.Server;
  status: SupergraphStatus;
  /** Undefined with METRICS=off. */
  metrics?: ServiceMetrics;
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
  // JSON logs, GET /metrics (METRICS=off, METRICS_PORT), per-operation and per-subgraph-fetch series
  const observability = serviceObservability('gateway', { knownOperations: knownOperationNames(options.persistedOperations) });
  const observeFetch = observability.metrics && subgraphFetchMetrics(observability.metrics.registry);
  const log = options.log ?? entryLog(observability.logger);
  const explorer = (options.explorer ?? explorerEnabled()) ? explorerRoutes() : {};
  const portal = configuredPortalRoutes(options.portal, log);
  const plugins = useTelemetryOff();
  const cacheOptions: (ResponseCacheOptions & { transport?: Transport }) | false = options.responseCache ?? responseCacheFromEnv();
  const responseCache = cacheOptions === false ? undefined : useResponseCache(cacheOptions);
  const maxTokens = options.maxTokens ?? intFromEnv('GATEWAY_MAX_TOKENS', DEFAULT_MAX_TOKENS);
  const overrides = options.subgraphUrls ?? {};
  const resolveUrl = (name: string, url: string) => overrides[name] ?? url;
  const status: SupergraphStatus = { loaded: false, loadedAt: null, subgraphs: [] };
  const securityOff = securityDisabled();
  const identitySigner = options.identitySigner ?? identitySignerFromEnv();
  // One count per client for the rate limit plugin and the authenticator (refused tokens count against their address)
  const rateLimit = options.rateLimit ?? defaultRateLimit();
  const limiter = securityOff || rateLimit === false ? undefined : createClientLimiter({ log, ...rateLimit });
  const authenticate = createAuthenticator({
    verifier: options.jwtVerifier ?? jwtVerifierFromEnv(), allowAnonymous: options.allowAnonymous, log,
    addressLimit: limiter && rateLimit ? { limiter, exempt: rateLimit.exempt } : undefined,
  });
  const dispatcher = createSubgraphDispatcher({
    timeoutMs: options.subgraphTimeoutMs ?? 10_000,
    connections: options.subgraphConnections ?? 64,
  });

  cacheGatewayOperations();
  // the supergraph's @listSize hints, by the API schema each request is validated with
  const listSizes = new WeakMap<GraphQLSchema, ListSizes>();
  const gateway = new ApolloGateway({
    // plans kept (least recently used dropped), keyed by the query text's hash and operation name
    experimental_approximateQueryPlanStoreMiB: options.queryPlanCacheMiB ?? intFromEnv('GATEWAY_QUERY_PLAN_CACHE_MIB', 30),
    supergraphSdl: new SupergraphFile({
      path: options.supergraphPath,
      watch: options.watch ?? true,
      onReload: (outcome) =>
        log(outcome.ok
          ? { level: 'info', msg: 'supergraph reloaded', path: options.supergraphPath }
          : { level: 'error', msg: 'supergraph reload rejected; still serving the previous one', error: outcome.error }),
    }),
    buildService: ({ name, url }) => new SubgraphDataSource(name, resolveUrl(name, url ?? ''), dispatcher, securityOff ? undefined : identitySigner, observeFetch,
      process.env.GATEWAY_DEDUP !== 'off', log),
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: isDevelopment(),
    parseOptions: { maxTokens },
    validationRules: [scalarLiteralsRule],
    // Who may introspect is decided per caller by useIntrospectionPolicy; field suggestions go when not everyone may.
    introspection: true,
    hideSchemaDetailsFromClientErrors: introspectionMode(options.introspection) !== 'on',
    plugins: [
      ...plugins, useMetrics({ metrics: observability.metrics }), useSupergraphStatus(status, resolveUrl), useAccessDenialLog<GatewayContext>('gateway', log),
      ...(securityOff ? [] : operationPolicy(options, limiter, (schema) => listSizes.get(schema))), ...(options.plugins ?? []), ...(responseCache ? [responseCache.plugin] : []),
    ],
  });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded, coreSupergraphSdl }) => {
    checkScalarVariables(loaded); // (the schema Apollo Server validates and coerces with)
    listSizes.set(loaded, listSizesFromSupergraph(coreSupergraphSdl));
    apiSchema = loaded;
  });
  await apollo.start();

  const cors = corsPolicy(options.cors);
  const server = createHttpServer<GatewayContext>({
    apollo,
    intercept: cors.intercept,
    // messages in Vietnamese for people, in English with Accept-Language: en; codes unchanged
    localizeErrors,
    maxBodyBytes: options.maxBodyBytes,
    observe: observability.observe,
    context: async (req, requestId) => (securityOff ? { requestId, clientId: 'insecure' } : { requestId, ...(await authenticate(req)) }),
    routes: {
      ...explorer,
      ...portal,
      ...documentProxyRoutes({
        subgraphUrl: (name) => {
          const known = status.subgraphs.find((subgraph) => subgraph.name === name);
          return known && resolveUrl(name, known.url);
        },
        authenticate: securityOff ? null : authenticate, signer: securityOff ? undefined : identitySigner, log,
      }),
      ...observability.routes,
      'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      'GET /ready': async (_req, res) => {
        const subgraphs = await Promise.all(
          status.subgraphs.map(async ({ name, url }) => ({ name, url, up: await probe(url, 1000) })),
        );
        const ready = status.loaded && subgraphs.every((s) => s.up);
        // In production: ready or not, and which subgraphs are down, without addresses or process ids
        if (isProduction()) {
          sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', ...(ready ? {} : { down: subgraphs.filter((s) => !s.up).map((s) => s.name) }) });
          return;
        }
        sendJson(res, ready ? 200 : 503, {
          status: ready ? 'ready' : 'unavailable',
          pid: process.pid,
          supergraphLoadedAt: status.loadedAt,
          subgraphs,
        });
      },
    },
  });
  let subscriptions: { close(): Promise<void> } | undefined;
  let feed: DossierStatusFeed | undefined;
  // One bus connection for the status feed and the catalogue changes; closed by the feed, or below without one.
  const bus = options.subscriptions !== false || responseCache
    ? (options.subscriptions ? options.subscriptions.transport : undefined) ?? (cacheOptions ? cacheOptions.transport : undefined) ?? transportFromEnv('gateway')
    : undefined;
  const catalogueChanges = responseCache && bus ? await followCatalogueChanges(bus, () => responseCache.invalidate()) : undefined;
  if (options.subscriptions !== false) {
    feed = new DossierStatusFeed(bus!);
    await feed.start();
    subscriptions = attachSubscriptions({
      server, path: '/graphql', schema: () => apiSchema, feed, log, maxTokens, allowsUpgrade: cors.allowsUpgrade, localizeErrors,
      persistedOperations: securityOff ? undefined : persistedOperationPolicy(options.persistedOperations),
      authenticate: securityOff ? async () => ({ clientId: 'insecure' }) : authenticate,
      execute: async (query, variables, contextValue) => {
        const response = await apollo.executeOperation({ query, variables }, { contextValue });
        if (response.body.kind !== 'single') return { errors: [new GraphQLError('incremental delivery is not supported here')] };
        const { data, errors } = response.body.singleResult;
        // Formatted errors back into GraphQLErrors, as graphql-ws serialises those.
        const rebuilt = errors?.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions }));
        return rebuilt?.length ? { data: data as ExecutionResult['data'], errors: rebuilt } : { data: data as ExecutionResult['data'] };
      },
    });
  }
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 4000, host);
  await observability.listen();
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    server,
    status,
    metrics: observability.metrics,
    async stop() {
      await observability.close();
      await subscriptions?.close();
      await close(server);
      await apollo.stop();
      await catalogueChanges?.stop();
      if (feed) await feed.stop();
      else await bus?.close();
    },
  };
}

export { SupergraphFile } from './supergraph-file';
export { createSubgraphDispatcher, SubgraphDataSource } from './subgraph-data-source';
export type { GatewayContext } from './context';
export { explorerCsp, explorerEnabled, explorerRoutes, SAVED_QUERIES } from './explorer';
export type { SavedQuery } from './explorer';
export { PORTAL_CSP, portalRoutes } from './portal';
export { buildManifest, invalidOperations, readOperationSources } from './plugins/use-persisted-operations';
export { CACHE_HEADER } from './plugins/use-response-cache';
