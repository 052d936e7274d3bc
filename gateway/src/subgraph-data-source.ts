import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Agent, fetch as undiciFetch } from 'undici';
import { IDENTITY_HEADER, IdentitySigner } from '@onestop/platform';
import type { GatewayContext } from './context';

export interface SubgraphFetchOptions {
  /** Abort a subgraph request after this long. */
  timeoutMs: number;
  /** Keep-alive connections per subgraph origin. */
  connections: number;
}

/** A fetch over a keep-alive connection pool that gives up after `timeoutMs`. */
export function createSubgraphFetcher(options: SubgraphFetchOptions): typeof fetch {
  const dispatcher = new Agent({
    connections: options.connections,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    pipelining: 1,
  });
  return ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, signal: AbortSignal.timeout(options.timeoutMs), dispatcher })) as unknown as typeof fetch;
}

/** Told of each subgraph fetch: how long it took and the codes of the errors it ended with (metrics). */
export type SubgraphFetchObserver = (subgraph: string, seconds: number, errorCodes: unknown[]) => void;

/**
 * Forwards the request id so one id is found in the gateway's and every subgraph's records, and turns
 * transport failures into errors a client can act on (which subgraph, timed out or unreachable).
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraphName: string,
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
    private readonly identities?: IdentitySigner,
    private readonly observeFetch?: SubgraphFetchObserver,
  ) {
    super(config);
  }

  /** Times each fetch for `observeFetch`, whatever its end: an answer (with or without errors) or a thrown error. */
  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    if (!this.observeFetch) return super.process(options);
    const started = performance.now();
    try {
      const response = await super.process(options);
      this.observeFetch(this.subgraphName, (performance.now() - started) / 1000, (response.errors ?? []).map((e) => e.extensions?.code));
      return response;
    } catch (error) {
      this.observeFetch(this.subgraphName, (performance.now() - started) / 1000, [(error as GraphQLError).extensions?.code ?? 'OTHER']);
      throw error;
    }
  }

  /** The request id, and the gateway's signed word on who the caller is (subgraphs refuse requests without it). */
  willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context?.requestId) request.http?.headers.set('x-request-id', context.requestId);
    if (this.identities) request.http?.headers.set(IDENTITY_HEADER, this.identities.tokenFor(context?.identity));
  }

  didEncounterError(error: Error): void {
    if (error instanceof GraphQLError) throw error;
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new GraphQLError(`The ${this.subgraphName} subgraph did not answer in time`, {
        extensions: { code: 'SUBGRAPH_TIMEOUT', subgraph: this.subgraphName },
      });
    }
    throw new GraphQLError(`The ${this.subgraphName} subgraph is unreachable`, {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.subgraphName },
    });
  }
}
