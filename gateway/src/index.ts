import type http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { close, createHttpServer, formatError, isDevelopment, listen, sendJson } from '@onestop/platform';
import type { GatewayContext } from './context';
import { createSubgraphFetcher, SubgraphDataSource } from './subgraph-data-source';
import { SupergraphFile } from './supergraph-file';
import { useSupergraphStatus, SupergraphStatus } from './plugins/use-supergraph-status';
import { useTelemetryOff } from './plugins/use-telemetry-off';

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
  log?: (entry: Record<string, unknown>) => void;
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
  const plugins = useTelemetryOff();
  const overrides = options.subgraphUrls ?? {};
  const resolveUrl = (name: string, url: string) => overrides[name] ?? url;
  const status: SupergraphStatus = { loaded: false, loadedAt: null, subgraphs: [] };
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
    buildService: ({ name, url }) => new SubgraphDataSource(name, { url: resolveUrl(name, url ?? ''), fetcher }),
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: isDevelopment(),
    plugins: [...plugins, useSupergraphStatus(status, resolveUrl), ...(options.plugins ?? [])],
  });
  await apollo.start();

  const server = createHttpServer<GatewayContext>({
    apollo,
    maxBodyBytes: options.maxBodyBytes,
    context: async (_req, requestId) => ({ requestId }),
    routes: {
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
