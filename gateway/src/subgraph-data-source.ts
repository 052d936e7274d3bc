import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Agent, Dispatcher, request as undiciRequest } from 'undici';
import { IDENTITY_HEADER, identityKey, IdentitySigner, isDevelopment } from '@onestop/platform/gateway';
import type { GatewayContext } from './context';

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource<GatewayContext>['process']>>;

export interface SubgraphFetchOptions {
  /** Give a subgraph up after this long without headers, or without more of the body. */
  timeoutMs: number;
  /** Keep-alive connections per subgraph origin. */
  connections: number;
}

/** The keep-alive connection pool to the subgraphs. */
export function createSubgraphDispatcher(options: SubgraphFetchOptions): Dispatcher {
  return new Agent({
    connections: options.connections,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    pipelining: 1,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
}

/** Told of each subgraph fetch: how long it took and the codes of the errors it ended with (metrics). */
export type SubgraphFetchObserver = (subgraph: string, seconds: number, errorCodes: unknown[]) => void;

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Sends the gateway's subgraph operations over undici's `request` (Apollo's RemoteGraphQLDataSource goes through
 * `fetch`: WHATWG streams, Request objects and abort signals per call cost about a sixth of the gateway's CPU under
 * load). It forwards the request id, so one id is found in the gateway's and every subgraph's records, signs who the
 * caller is, and turns transport failures into errors a client can act on (which subgraph, timed out or unreachable).
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  /** Queries on their way to the subgraph, by caller and body: an identical one waits for the same answer. */
  private readonly inFlight = new Map<string, Promise<{ status: number; text: string }>>();

  constructor(
    private readonly subgraphName: string,
    private readonly url: string,
    private readonly dispatcher: Dispatcher,
    private readonly identities?: IdentitySigner,
    private readonly observeFetch?: SubgraphFetchObserver,
    /** Share identical in-flight queries of one caller (never a mutation, never across callers, nothing kept after). */
    private readonly deduplicate = true,
    /** Where a subgraph's refusal is recorded in full (address, status, body), with the request id. */
    private readonly log: (entry: Record<string, unknown>) => void = (entry) => console.error(JSON.stringify(entry)),
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    try {
      const response = await this.send(options);
      this.observeFetch?.(this.subgraphName, (performance.now() - started) / 1000, (response.errors ?? []).map((e) => e.extensions?.code));
      return response;
    } catch (error) {
      this.observeFetch?.(this.subgraphName, (performance.now() - started) / 1000, [(error as GraphQLError).extensions?.code ?? 'OTHER']);
      throw error;
    }
  }

  private async send({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (!request.query) throw new Error('Missing query');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (context?.requestId) headers['x-request-id'] = context.requestId;
    if (this.identities) headers[IDENTITY_HEADER] = this.identities.tokenFor(context?.identity, this.subgraphName);
    const { http: _http, ...body } = request;
    const payload = JSON.stringify(body);
    const fetchOnce = async () => {
      try {
        const response = await undiciRequest(this.url, { method: 'POST', headers, body: payload, dispatcher: this.dispatcher });
        return { status: response.statusCode, text: await response.body.text() };
      } catch (error) {
        throw this.transportError(error as Error);
      }
    };
    let answer: Promise<{ status: number; text: string }>;
    if (this.deduplicate && !/^\s*(mutation|subscription)\b/.test(request.query)) {
      const key = `${identityKey(context?.identity)}\n${payload}`;
      const shared = this.inFlight.get(key);
      if (shared) answer = shared;
      else {
        answer = fetchOnce().finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, answer);
      }
    } else answer = fetchOnce();
    // every caller parses the text itself and gets its own error: no object is shared between responses
    const { status, text } = await answer.catch((error: GraphQLError) => {
      throw new GraphQLError(error.message, { extensions: { ...error.extensions } });
    });
    const json = parseJson(text);
    if (status < 200 || status >= 300) {
      // A GraphQL answer sent with an HTTP error (a refusal as a whole, e.g. UNAUTHENTICATED): its errors, with their
      // codes, as any other answer's (formatError masks what is not public).
      if (isGraphQLResponse(json)) return { ...json, data: json.data ?? null } as GatewayGraphQLResponse;
      // Anything else: the caller learns which subgraph failed (its name is no secret), never its address, status or
      // answer: those go to the log with the request id (and, in development only, into the error).
      const response = { url: this.url, status, body: json ?? text.slice(0, 500) };
      this.log({ level: 'warn', msg: 'subgraph refused the request', service: 'gateway', subgraph: this.subgraphName, requestId: context?.requestId ?? null, response });
      throw new GraphQLError(`The ${this.subgraphName} subgraph could not answer this request`, {
        extensions: { code: 'SUBGRAPH_ERROR', subgraph: this.subgraphName, ...(isDevelopment() ? { response } : {}) },
      });
    }
    if (!json || typeof json !== 'object') throw new GraphQLError(`The ${this.subgraphName} subgraph did not answer in JSON`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.subgraphName } });
    return json as GatewayGraphQLResponse;
  }

  private transportError(error: Error): GraphQLError {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError' || TIMEOUTS.has((error as { code?: string }).code ?? '')) {
      return new GraphQLError(`The ${this.subgraphName} subgraph did not answer in time`, {
        extensions: { code: 'SUBGRAPH_TIMEOUT', subgraph: this.subgraphName },
      });
    }
    return new GraphQLError(`The ${this.subgraphName} subgraph is unreachable`, {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.subgraphName },
    });
  }
}

function isGraphQLResponse(json: unknown): json is { data?: Record<string, unknown> | null; errors: { message: string }[] } {
  return !!json && typeof json === 'object' && Array.isArray((json as { errors?: unknown }).errors) && (json as { errors: unknown[] }).errors.length > 0
    && (json as { errors: unknown[] }).errors.every((e) => !!e && typeof (e as { message?: unknown }).message === 'string');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
