import type http from 'node:http';
import { WebSocketServer } from 'ws';
// graphql-ws publishes this entry only through its exports map, which this project's module resolution does not read.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { useServer } = require('graphql-ws/use/ws') as typeof import('graphql-ws/dist/use/ws');
import {
  DocumentNode, ExecutionArgs, ExecutionResult, FieldNode, getOperationAST, GraphQLError, GraphQLFormattedError, GraphQLSchema, Kind, OperationDefinitionNode,
  parse, print,
} from 'graphql';
import type { GatewayContext } from '../context';
import type { Authenticate } from '../authentication';
import type { DossierStatusFeed } from './status-feed';
import { NOT_ALLOWED, PersistedOperationPolicy } from '../plugins/use-persisted-operations';
import { MY_FIELD, subscribeToMyDossiers } from './my-dossiers';

export interface SubscriptionServerOptions {
  server: http.Server;
  path: string;
  schema: () => GraphQLSchema | undefined;
  feed: DossierStatusFeed;
  authenticate: Authenticate;
  /** Runs a query through the gateway (its plugins, authorization and subgraphs) as the subscriber. */
  execute(query: string, variables: Record<string, unknown> | undefined, context: GatewayContext): Promise<ExecutionResult>;
  log: (entry: Record<string, unknown>) => void;
  /** Whether a WebSocket upgrade's Origin may connect (the CORS rule); refused with 403 before the handshake. */
  allowsUpgrade?: (req: http.IncomingMessage) => boolean;
  /**
   * Rewrites the errors sent on the socket (their messages in the subscriber's language: the connection parameter
   * `accept-language`, else the upgrade request's header).
   */
  localizeErrors?: (errors: readonly GraphQLFormattedError[], req: http.IncomingMessage) => GraphQLFormattedError[];
  /** Tokens a subscription document may have (as over HTTP); longer ones are refused unparsed. */
  maxTokens?: number;
  /** The persisted operations' allowlist (GATEWAY_PERSISTED_OPERATIONS=allowlist): a subscription's text must be in it. */
  persistedOperations?: PersistedOperationPolicy;
}

const FIELD = 'dossierStatusChanged';
/** The close code and reason of a socket whose token expired (graphql-ws's 4401: the client does not retry it). */
export const TOKEN_EXPIRED = { code: 4401, reason: 'token expired' };
/** setTimeout's longest delay (about 24.8 days). */
const MAX_DELAY_MS = 2 ** 31 - 1;
const DENIED = new Set(['FORBIDDEN', 'UNAUTHENTICATED', 'BAD_USER_INPUT', 'NOT_FOUND']);

/**
 * `subscription { dossierStatusChanged(code) { … } }` over graphql-ws at the GraphQL path (and a citizen's
 * `myDossierStatusChanged`: my-dossiers.ts). The subscription becomes the
 * query `dossier(code) { … }`; it is run once when subscribing (a caller who may not read the dossier is refused, as a
 * query would be) and again as the subscriber on every status event of that dossier, so each update carries exactly
 * the fields asked for, from every subgraph, with the same authorization and masking as queries.
 */
export function attachSubscriptions(options: SubscriptionServerOptions): { close(): Promise<void> } {
  const allowsUpgrade = options.allowsUpgrade;
  const wss = new WebSocketServer({
    server: options.server, path: options.path,
    verifyClient: allowsUpgrade && ((info, done) => {
      if (allowsUpgrade(info.req)) return done(true);
      options.log({ level: 'warn', msg: 'access denied', service: 'gateway', transport: 'websocket', reason: `origin ${info.origin} not allowed` });
      done(false, 403, 'Origin not allowed');
    }),
  });
  let sequence = 0;
  const cleanup = useServer<Record<string, unknown>, { context?: GatewayContext; request: http.IncomingMessage }>({
    schema: () => {
      const schema = options.schema();
      if (!schema) throw new Error('the supergraph is not loaded yet');
      return schema;
    },
    onConnect: async (ctx) => {
      const header = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : ctx.extra.request.headers.authorization;
      const request = { headers: { ...ctx.extra.request.headers, authorization: header }, socket: ctx.extra.request.socket } as unknown as http.IncomingMessage;
      try {
        const caller = await options.authenticate(request);
        const requestId = `ws-${process.pid}-${++sequence}`;
        ctx.extra.context = { requestId, ...caller };
        // The session ends when its token does: the socket is closed at the token's exp, whatever it is subscribed to.
        if (caller.expiresAt !== undefined) {
          const socket = (ctx.extra as unknown as { socket: import('ws').WebSocket }).socket;
          const expire = () => {
            options.log({ level: 'info', msg: 'subscription closed: token expired', service: 'gateway', transport: 'websocket', requestId });
            socket.close(TOKEN_EXPIRED.code, TOKEN_EXPIRED.reason);
          };
          const ms = caller.expiresAt - Date.now();
          if (ms <= 0) {
            expire();
            return false;
          }
          const timer = setTimeout(expire, Math.min(ms, MAX_DELAY_MS));
          timer.unref();
          socket.once('close', () => clearTimeout(timer));
        }
        return true;
      } catch (error) {
        options.log({ level: 'warn', msg: 'access denied', service: 'gateway', transport: 'websocket', reason: (error as Error).message });
        return false;
      }
    },
    context: (ctx) => ctx.extra.context,
    // The parser's token limit, as over HTTP: a huge document is refused before it is parsed whole or validated
    onSubscribe: (ctx, _id, payload) => {
      // As over HTTP: only the manifest's operations, unless the caller's role may run any
      const role = ctx.extra.context?.identity?.role;
      if (options.persistedOperations && options.persistedOperations.check(role, payload.query, undefined) === null) {
        return [new GraphQLError(NOT_ALLOWED.message, { extensions: { code: NOT_ALLOWED.code } })];
      }
      if (options.maxTokens === undefined) return undefined;
      try {
        parse(payload.query, { maxTokens: options.maxTokens });
        return undefined; // (graphql-ws parses it again: a small document, once per subscription)
      } catch (error) {
        return [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
      }
    },
    ...(options.localizeErrors && localizing(options.localizeErrors)),
    execute: () => ({ errors: [new GraphQLError('Queries and mutations go over HTTP POST; this socket serves subscriptions', { extensions: { code: 'BAD_REQUEST' } })] }),
    subscribe: (args) => subscribe(options, args),
  }, wss);
  return {
    async close() {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

type SocketContext = { connectionParams?: Readonly<Record<string, unknown>>; extra: { request: http.IncomingMessage } };

/** graphql-ws's hooks on every result and error it sends: the errors through `localize`, as HTTP answers are. */
export function localizing(localize: NonNullable<SubscriptionServerOptions['localizeErrors']>) {
  const requestOf = (ctx: SocketContext) => {
    const parameter = ctx.connectionParams?.['accept-language'];
    const header = typeof parameter === 'string' ? parameter : ctx.extra.request.headers['accept-language'];
    return { headers: header === undefined ? {} : { 'accept-language': header } } as http.IncomingMessage;
  };
  const formatted = (errors: readonly GraphQLError[]) => errors.map((error) => (typeof error.toJSON === 'function' ? error.toJSON() : error) as GraphQLFormattedError);
  return {
    onNext: (ctx: SocketContext, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) => {
      if (!result.errors?.length) return undefined;
      return { ...result, errors: localize(formatted(result.errors), requestOf(ctx)) };
    },
    onError: (ctx: SocketContext, _id: string, _payload: unknown, errors: readonly GraphQLError[]) => localize(formatted(errors), requestOf(ctx)),
  };
}

function refusal(message: string, code = 'BAD_REQUEST'): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}

/** The subscription as the equivalent query: same variables, fragments and selection, `dossier` in place of the field. */
export function asDossierQuery(document: DocumentNode, operationName?: string | null): { query: string; alias: string; codeArgument: FieldNode['arguments'] } | string {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'subscription') return 'not a subscription';
  const fields = operation.selectionSet.selections;
  if (fields.length !== 1 || fields[0].kind !== Kind.FIELD || fields[0].name.value !== FIELD) return `subscribe to exactly one field, ${FIELD}`;
  const field = fields[0];
  const alias = field.alias?.value ?? FIELD;
  const asQuery: OperationDefinitionNode = {
    ...operation,
    operation: 'query' as OperationDefinitionNode['operation'],
    selectionSet: { ...operation.selectionSet, selections: [{ ...field, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: 'dossier' } }] },
  };
  const definitions = document.definitions.map((definition) => (definition === operation ? asQuery : definition))
    .filter((definition) => definition.kind !== Kind.OPERATION_DEFINITION || definition === asQuery);
  return { query: print({ ...document, definitions }), alias, codeArgument: field.arguments };
}

function codeOf(argumentsNodes: FieldNode['arguments'], variables: Record<string, unknown> | undefined | null): string | null {
  const argument = argumentsNodes?.find((a) => a.name.value === 'code');
  if (!argument) return null;
  if (argument.value.kind === Kind.STRING) return argument.value.value;
  if (argument.value.kind === Kind.VARIABLE) {
    const value = variables?.[argument.value.name.value];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

async function subscribe(options: SubscriptionServerOptions, args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  // Its text passed the allowlist in onSubscribe; the queries below are its translation, not the caller's text.
  const context: GatewayContext = { ...(args.contextValue as GatewayContext), allowlistedSubscription: true };
  const operation = getOperationAST(args.document, args.operationName);
  const only = operation?.selectionSet.selections[0];
  if (only?.kind === Kind.FIELD && only.name.value === MY_FIELD) {
    return subscribeToMyDossiers(options.feed, options.execute, args.document, args.operationName,
      (args.variableValues ?? undefined) as Record<string, unknown> | undefined, context);
  }
  const translated = asDossierQuery(args.document, args.operationName);
  if (typeof translated === 'string') return refusal(translated);
  const code = codeOf(translated.codeArgument, args.variableValues as Record<string, unknown>);
  if (!code) return refusal('dossierStatusChanged needs a code');
  const variables = (args.variableValues ?? undefined) as Record<string, unknown> | undefined;
  const query = translated.query;
  const first = await options.execute(query, variables, context);
  const denied = first.errors?.find((error) => DENIED.has(String(error.extensions?.code)));
  if (denied || !first.data?.[translated.alias]) {
    return { errors: first.errors?.length ? first.errors : [new GraphQLError(`Dossier ${code} not found`, { extensions: { code: 'NOT_FOUND' } })] };
  }

  const pending: (() => void)[] = [];
  let events = 0;
  let wake: (() => void) | undefined;
  const stop = options.feed.listen(code, () => {
    events++;
    wake?.();
  });
  async function* updates(): AsyncGenerator<ExecutionResult> {
    try {
      for (;;) {
        if (!events) await new Promise<void>((resolve) => { wake = resolve; pending.push(resolve); });
        wake = undefined;
        // Events that arrive together collapse into one read: the latest state is what a subscriber needs.
        events = 0;
        const result = await options.execute(query, variables, { ...context, requestId: `${context.requestId}-${Date.now()}` });
        yield result.errors?.length ? { data: result.data ?? null, errors: result.errors } : { data: result.data };
      }
    } finally {
      stop();
      for (const resolve of pending) resolve();
    }
  }
  return updates();
}
