import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { intFromEnv, lruCache } from '@onestop/platform/gateway';
import type { GatewayContext } from '../context';

export interface ResponseCacheOptions {
  /** Root fields whose answers are the same for every caller; an operation is cached only if it asks for nothing else. */
  publicRootFields?: readonly string[];
  /** How long an answer may be served without a change event (the bound if an event is lost); default 60 s. */
  ttlMs?: number;
  /** Answers kept, least recently used dropped first; default 1000. */
  maxEntries?: number;
  now?: () => number;
}

export interface ResponseCache {
  plugin: ApolloServerPlugin<GatewayContext>;
  /** Drops every cached answer (a catalogue change, a new supergraph); answers being computed are not kept. */
  invalidate(): void;
  stats(): { entries: number; hits: number; misses: number; invalidations: number };
}

/** The procedure catalogue: public, the same for everyone, changed only by `updateProcedure`. */
export const CATALOGUE_ROOT_FIELDS = ['procedures', 'procedure'];

export const CACHE_HEADER = 'x-onestop-cache';

/** Whether the operation is a query of public root fields only (and __typename), written as plain fields. */
function isPublicQuery(operation: OperationDefinitionNode | undefined, fields: ReadonlySet<string>): boolean {
  if (!operation || operation.operation !== 'query') return false;
  return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && (fields.has(s.name.value) || s.name.value === '__typename'));
}

/**
 * Caches whole answers to public queries (the procedure catalogue) in this gateway process, keyed by query and
 * variables; nothing else is ever cached. Invalidated by the catalogue-change notifications (see
 * `followCatalogueChanges`) and by a new supergraph; `ttlMs` bounds staleness should an event be lost. Answers with
 * errors are not kept. Responses say `x-onestop-cache: hit` or `miss`.
 */
export function useResponseCache(options: ResponseCacheOptions = {}): ResponseCache {
  const fields = new Set(options.publicRootFields ?? CATALOGUE_ROOT_FIELDS);
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 1000;
  if (!(ttlMs > 0) || !(maxEntries >= 1)) throw new Error(`the response cache needs ttlMs > 0 and maxEntries >= 1, got ${ttlMs} and ${maxEntries}`);
  // each answer for ttlMs at most; the least recently used dropped first when full
  const entries = lruCache<string, Record<string, unknown>>(maxEntries, options.now);
  let generation = 0;
  const counts = { hits: 0, misses: 0, invalidations: 0 };
  const invalidate = () => {
    generation++;
    counts.invalidations++;
    entries.clear();
  };

  const keyOf = (context: GraphQLRequestContext<GatewayContext>) =>
    createHash('sha256').update(context.queryHash ?? '').update('\n').update(context.operationName ?? '').update('\n')
      .update(JSON.stringify(context.request.variables ?? {})).digest('base64url');

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async serverWillStart() {
      return { schemaDidLoadOrUpdate: () => invalidate() };
    },
    async requestDidStart() {
      let key: string | undefined;
      let startedIn = -1;
      let hit = false;
      return {
        async responseForOperation(context) {
          if (!isPublicQuery(context.operation, fields)) return null;
          key = keyOf(context);
          startedIn = generation;
          const data = entries.get(key);
          if (data) {
            hit = true;
            counts.hits++;
            return { http: context.response.http, body: { kind: 'single', singleResult: { data } } };
          }
          counts.misses++;
          return null;
        },
        async willSendResponse(context) {
          if (!key) return;
          context.response.http.headers.set(CACHE_HEADER, hit ? 'hit' : 'miss');
          const body = context.response.body;
          if (hit || startedIn !== generation || body.kind !== 'single') return;
          const { data, errors } = body.singleResult;
          if (errors?.length || !data) return;
          entries.set(key, data, { ttl: ttlMs });
        },
      };
    },
  };
  return { plugin, invalidate, stats: () => ({ entries: entries.size, ...counts }) };
}

/** GATEWAY_RESPONSE_CACHE=off, GATEWAY_RESPONSE_CACHE_TTL_MS (60000), GATEWAY_RESPONSE_CACHE_ENTRIES (1000). */
export function responseCacheFromEnv(env: NodeJS.ProcessEnv = process.env): ResponseCacheOptions | false {
  if (env.GATEWAY_RESPONSE_CACHE === 'off') return false;
  const ttlMs = intFromEnv('GATEWAY_RESPONSE_CACHE_TTL_MS', 60_000, env);
  const maxEntries = intFromEnv('GATEWAY_RESPONSE_CACHE_ENTRIES', 1000, env);
  if (ttlMs < 1 || maxEntries < 1) throw new Error('GATEWAY_RESPONSE_CACHE_TTL_MS and GATEWAY_RESPONSE_CACHE_ENTRIES must be positive');
  return { ttlMs, maxEntries };
}
