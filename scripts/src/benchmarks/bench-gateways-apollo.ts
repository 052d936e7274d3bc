#!/usr/bin/env node
/**
 * Plain @apollo/gateway for `npm run bench:gateways`: ApolloServer + ApolloGateway with default settings on the
 * supergraph file, served by Apollo's standalone server. Only two things are added so it can reach our subgraphs:
 * the subgraph URLs of the bench's stack (`--subgraph NAME=URL`) and forwarding the request headers named with
 * `--forward-header` (the caller's signed identity, `x-onestop-identity`) unchanged to every subgraph. No JWT, no
 * limits, no plugins. It imports nothing of ours, so its memory and CPU are Apollo's alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

interface ForwardingContext {
  forwarded: [string, string][];
}

async function main() {
  const { values } = parseArgs({
    options: {
      supergraph: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      subgraph: { type: 'string', multiple: true },
      'forward-header': { type: 'string', multiple: true },
    },
  });
  if (!values.supergraph || !values.port) throw new Error('usage: bench-gateways-apollo --supergraph FILE --port N [--host H] [--subgraph NAME=URL …] [--forward-header NAME …]');
  const urls = new Map<string, string>();
  for (const pair of values.subgraph ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--subgraph takes NAME=URL, got "${pair}"`);
    urls.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const forward = (values['forward-header'] ?? []).map((h) => h.toLowerCase());

  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(path.resolve(values.supergraph), 'utf8'),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<ForwardingContext>({
        url: urls.get(name) ?? url,
        willSendRequest({ request, context }) {
          for (const [header, value] of context.forwarded ?? []) request.http?.headers.set(header, value);
        },
      }),
  });
  const server = new ApolloServer<ForwardingContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(values.port), host: values.host ?? '127.0.0.1' },
    context: async ({ req }) => ({
      forwarded: forward.flatMap((header) => {
        const value = req.headers[header];
        return typeof value === 'string' ? [[header, value] as [string, string]] : [];
      }),
    }),
  });
  console.log(JSON.stringify({ level: 'info', msg: 'plain Apollo gateway ready', url, pid: process.pid }));

  // Go when the bench (or the cluster primary) that started us goes.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(1);
  }, 1000).unref();
  const shutdown = async () => {
    await server.stop();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error) => {
  console.error(JSON.stringify({ level: 'fatal', msg: String(error?.message ?? error) }));
  process.exit(1);
});
