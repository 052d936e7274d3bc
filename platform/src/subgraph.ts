import 'reflect-metadata';
import type http from 'node:http';
import { GraphQLSchema } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { DataSource, MixedList, EntitySchema } from 'typeorm';
import type { NonEmptyArray } from 'type-graphql';
import { DatabaseConfig, databaseConfig, intFromEnv } from './config';
import { Database, openDatabase } from './database';
import { RequestContext } from './context';
import { formatError, isDevelopment } from './errors';
import { buildFederatedSchema, printSubgraphSchema, ReferenceResolvers } from './federation';
import { close, createHttpServer, exitWithParent, listen, readyRoute, RouteHandler, sendJson } from './http';
import { HANDOFF_ENTITIES } from './handoffs/entities';
import { HANDOFF_MIGRATIONS } from './handoffs/migration';
import { HandoffHandlers, HandoffNode } from './handoffs/node';
import { describeTransport, faultFromEnv, keysFromEnv, transportFromEnv } from './handoffs/setup';
import { KeyRing } from './handoffs/keys';
import { Transport } from './handoffs/transport';
import { IDENTITY_HEADER, IdentityVerifier } from './auth/gateway-token';
import { identityVerifierFromEnv, securityDisabled } from './auth/setup';
import { configurePseudonymKey, pseudonymKeyFromEnv } from './auth/pseudonym';
import { PersonalDataAccess } from './auth/personal-data';
import { PersonalDataAccessLog1764300000000 } from './auth/migration';
import { usePersonalDataLog } from './auth/use-personal-data-log';
import { useAccessDenialLog } from './auth/use-access-denial-log';
import { entryLog, HandoffMetrics, logger, serviceObservability, ServiceMetrics, startTracing, useGraphQLMetrics } from './observability';

/** Everything one agency subgraph is made of; each subgraph's index.ts exports one. */
export interface SubgraphDefinition {
  /** Also the database name suffix and the name in the supergraph, e.g. "land". */
  name: string;
  defaultPort: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  /** Key-only stub types of entities owned elsewhere that this subgraph extends. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  references?: ReferenceResolvers;
  /** SDL added to the schema as is: a Subscription type the gateway serves from the bus. */
  extraTypeDefs?: string;
  /** What this agency does with each message type it receives (the access table says who may send it). */
  handoffs?: HandoffHandlers;
  /** Background work started with the subgraph and stopped before it (e.g. the notifier). */
  workers?: SubgraphWorker[];
  /** Plain HTTP routes beside GraphQL ("METHOD /path"), e.g. document uploads and downloads. */
  routes?: (context: SubgraphRouteContext) => Record<string, RouteHandler>;
}

export interface SubgraphRouteContext {
  member: string;
  /**
   * The request's context from the gateway's identity header, as a GraphQL request gets it; null when the header is
   * missing or refused (the route answers 401).
   */
  contextOf(req: http.IncomingMessage): RequestContext | null;
}

export interface WorkerContext {
  member: string;
  dataSource: DataSource;
  transport: Transport;
  keys: KeyRing;
  log: (entry: Record<string, unknown>) => void;
}

export type SubgraphWorker = (context: WorkerContext) => Promise<{ stop(): Promise<void> }>;

export function defineSubgraph(definition: SubgraphDefinition): SubgraphDefinition {
  return definition;
}

export async function buildSubgraphSchemaFor(definition: SubgraphDefinition): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    references: definition.references,
    extraTypeDefs: definition.extraTypeDefs,
  });
}

/** The subgraph's SDL as composition sees it. */
export async function printSubgraphSdl(definition: SubgraphDefinition): Promise<string> {
  return printSubgraphSchema(await buildSubgraphSchemaFor(definition));
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  database: Database;
  handoffs: HandoffNode;
  server: http.Server;
  /** Undefined with METRICS=off. */
  metrics?: ServiceMetrics;
  stop(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  host?: string;
  database?: DatabaseConfig;
  /** The bus; default from the environment (KAFKA_BROKERS, else the embedded bus file). */
  transport?: Transport;
  keys?: KeyRing;
  /** Verifies the gateway's identity header; default from GATEWAY_IDENTITY_PUBLIC_KEY (a dev key outside production). */
  identities?: IdentityVerifier;
}

/** Every subgraph keeps the handoff outbox, inbox and message log next to its own tables. */
export function entitiesOf(definition: SubgraphDefinition): SubgraphDefinition['entities'] {
  return [...(definition.entities as unknown[]), ...HANDOFF_ENTITIES, PersonalDataAccess] as SubgraphDefinition['entities'];
}

export function migrationsOf(definition: SubgraphDefinition): SubgraphDefinition['migrations'] {
  return [...(definition.migrations as unknown[]), ...HANDOFF_MIGRATIONS, PersonalDataAccessLog1764300000000] as SubgraphDefinition['migrations'];
}

export async function startSubgraph(definition: SubgraphDefinition, options: StartOptions = {}): Promise<RunningSubgraph> {
  const port = options.port ?? intFromEnv('PORT', definition.defaultPort);
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  const database = await openDatabase({
    config: options.database ?? databaseConfig(definition.name),
    entities: entitiesOf(definition),
    migrations: migrationsOf(definition),
  });
  const transport = options.transport ?? transportFromEnv(definition.name);
  // observability/: JSON logs, GET /metrics (METRICS=off, METRICS_PORT), handoff series collected on scrape
  const observability = serviceObservability(definition.name);
  const log = entryLog(observability.logger);
  const handoffMetrics: HandoffMetrics | undefined = observability.metrics && new HandoffMetrics(observability.metrics.registry, {
    outboxBacklog: () => handoffs.outboxBacklog(),
    heldMessages: () => handoffs.heldMessages(),
    consumerLag: () => handoffs.consumerLag(),
  }, { onError: (what, error) => log({ level: 'warn', msg: `${what} not collected`, error: String(error) }) });
  const keys = options.keys ?? keysFromEnv(definition.name);
  const handoffs: HandoffNode = new HandoffNode({
    member: definition.name,
    dataSource: database.dataSource,
    transport,
    keys,
    handlers: definition.handoffs ?? {},
    afterCommit: faultFromEnv(),
    observer: handoffMetrics,
    log,
  });
  await handoffs.start();
  const workers: { stop(): Promise<void> }[] = [];
  for (const worker of definition.workers ?? []) workers.push(await worker({ member: definition.name, dataSource: database.dataSource, transport, keys, log }));
  const schema = await buildSubgraphSchemaFor(definition);
  const identities = options.identities ?? identityVerifierFromEnv();
  configurePseudonymKey(pseudonymKeyFromEnv());
  const securityOff = securityDisabled();
  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: isDevelopment(),
    // No cache hints (nothing here sets @cacheControl; the plugin would still visit every resolved field) and no traces.
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled(), usePersonalDataLog(definition.name, database.dataSource), useAccessDenialLog(definition.name, log),
      useGraphQLMetrics(observability.metrics)],
  });
  await apollo.start();

  const server = createHttpServer<RequestContext>({
    apollo,
    observe: observability.observe,
    guard: (req) => {
      if (securityOff) return null;
      const check = identities.verify(req.headers[IDENTITY_HEADER] as string | undefined, definition.name);
      if (check.ok) return null;
      log({ level: 'warn', msg: 'access denied', service: definition.name, requestId: req.headers['x-request-id'] ?? null, reason: check.reason });
      return { status: 401, code: 'UNAUTHENTICATED', message: `Refused: ${check.reason}` };
    },
    context: async (req, requestId) => {
      const check = identities.verify(req.headers[IDENTITY_HEADER] as string | undefined, definition.name);
      return new RequestContext(database.dataSource, requestId, handoffs, check.ok ? check.identity : null, securityOff);
    },
    routes: {
      ...definition.routes?.({
        member: definition.name,
        contextOf: (req) => {
          const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 128);
          if (securityOff) return new RequestContext(database.dataSource, requestId, handoffs, null, true);
          const check = identities.verify(req.headers[IDENTITY_HEADER] as string | undefined, definition.name);
          if (!check.ok) {
            log({ level: 'warn', msg: 'access denied', service: definition.name, requestId: requestId ?? null, reason: check.reason });
            return null;
          }
          return new RequestContext(database.dataSource, requestId, handoffs, check.identity, false);
        },
      }),
      ...observability.routes,
      'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok', subgraph: definition.name }),
      'GET /ready': readyRoute(definition.name, () => database.dataSource.query('SELECT 1'),
        () => ({ database: database.description, bus: describeTransport(transport), pid: process.pid })),
    },
  });
  const boundPort = await listen(server, port, host);
  await observability.listen();
  return {
    name: definition.name,
    url: `http://${host}:${boundPort}/graphql`,
    port: boundPort,
    database,
    handoffs,
    server,
    metrics: observability.metrics,
    async stop() {
      await observability.close();
      await close(server);
      await apollo.stop();
      for (const worker of workers) await worker.stop();
      await handoffs.stop();
      if (!options.transport) await transport.close();
      await database.dataSource.destroy();
    },
  };
}

/** Entry point of a subgraph process: `node dist/main.js [serve|print-schema]`. */
export async function runSubgraphMain(definition: SubgraphDefinition, argv = process.argv.slice(2)): Promise<void> {
  const command = argv[0] ?? 'serve';
  if (command === 'print-schema') {
    process.stdout.write(await printSubgraphSdl(definition));
    return;
  }
  if (command !== 'serve') throw new Error(`Unknown command "${command}" (use serve or print-schema)`);
  exitWithParent();
  const tracing = startTracing(definition.name); // only with OTEL_EXPORTER_OTLP_ENDPOINT; nothing loaded otherwise
  const running = await startSubgraph(definition);
  entryLog(logger(definition.name))({ level: 'info', msg: 'subgraph ready', subgraph: definition.name, url: running.url, database: running.database.description });
  const shutdown = async () => {
    await running.stop();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
