import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { composeServices } from '@apollo/composition';
import { buildSchema, graphql, parse } from 'graphql';
import { formatError } from '@onestop/platform/gateway';
import type { GatewayContext } from '../context';
import { startGateway, GatewayOptions, RunningGateway } from '../index';

/** A small graph shaped like ours (a page with a limit, nested lists) for the plugins' tests; no federation. */
export const TEST_SDL = `
type Query {
  dossier(code: String!): Dossier
  dossiers(offset: Int! = 0, limit: Int! = 20): DossierPage!
  citizen(personalNumber: String!): Citizen
}
type DossierPage { items: [Dossier!]! totalCount: Int! }
type Dossier { code: String! status: String! applicant: Citizen timeline: [Event!]! }
type Citizen { personalNumber: String! fullName: String! dossiers: [Dossier!]! }
type Event { at: String! action: String! }
`;

/** Root resolvers that count their calls: a refused operation must leave `calls` at 0. */
export function testRoot() {
  const citizen = { personalNumber: '001085012345', fullName: 'Nguyễn Văn An', dossiers: [] as unknown[] };
  const dossier = { code: '000.00.31.H99-250701-0001', status: 'RECEIVED', applicant: citizen, timeline: [{ at: '2025-07-01T08:00:00Z', action: 'RECEIVED' }] };
  citizen.dossiers = [dossier];
  const root = {
    calls: 0,
    dossier: () => (root.calls++, dossier),
    dossiers: ({ limit }: { limit: number }) => (root.calls++, { items: Array.from({ length: Math.min(limit, 3) }, () => dossier), totalCount: 3 }),
    citizen: () => (root.calls++, citizen),
  };
  return root;
}

/** An Apollo Server on TEST_SDL with the platform's formatError (so masking applies as on the gateway). */
export async function testServer(plugins: ApolloServerPlugin<GatewayContext>[], root = testRoot()) {
  const server = new ApolloServer<GatewayContext>({ schema: buildSchema(TEST_SDL), rootValue: root, formatError, introspection: true, plugins });
  await server.start();
  return { server, root };
}

export function context(clientId = 'ip:203.0.113.7', identity?: GatewayContext['identity']): { contextValue: GatewayContext } {
  return { contextValue: { requestId: 'test', clientId, identity } };
}

/** The single result of executeOperation, with the HTTP status it would be sent with. */
export async function run(
  server: ApolloServer<GatewayContext>,
  request: Parameters<ApolloServer<GatewayContext>['executeOperation']>[0],
  options = context(),
) {
  const response = await server.executeOperation(request, options);
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return { status: response.http.status ?? 200, headers: response.http.headers, data: data as Record<string, any> | null | undefined, errors, error: errors?.[0] };
}

/** A graph for the test gateway: its SDL (plain GraphQL, federation directives aside) and its root resolvers. */
export interface TestGraph {
  sdl: string;
  root: object;
  /** The subgraph's federation `@link` imports; default ["@key"]. */
  imports?: string[];
}

/** Directive definitions of federation's a plain graphql-js schema needs to build the same SDL. */
const PLAIN_DIRECTIVES: Record<string, string> = {
  '@listSize': 'directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION',
};

/** TEST_SDL (or another graph) served as a real subgraph over HTTP (graphql-js executes what the gateway sends); counts requests. */
export async function startTestSubgraph(root: object = testRoot(), graph?: TestGraph): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  const schema = buildSchema([...(graph?.imports ?? []).map((name) => PLAIN_DIRECTIVES[name] ?? ''), graph?.sdl ?? TEST_SDL].join('\n'));
  let requests = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', async () => {
      requests++;
      const body = JSON.parse(raw || '{}');
      const result = await graphql({ schema, source: body.query, variableValues: body.variables, rootValue: root });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests: () => requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The real gateway over a supergraph of TEST_SDL (or the graph given) composed as one subgraph. */
export async function startTestGateway(options: Partial<GatewayOptions> = {}, graph?: TestGraph) {
  const subgraph = await startTestSubgraph(graph?.root, graph);
  const imports = JSON.stringify(['@key', ...(graph?.imports ?? [])]);
  const composed = composeServices([{
    name: 'registry',
    url: subgraph.url,
    typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ${imports})\n${graph?.sdl ?? TEST_SDL}`),
  }]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('; '));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onestop-gateway-plugins-'));
  const supergraphPath = path.join(dir, 'supergraph.graphql');
  fs.writeFileSync(supergraphPath, composed.supergraphSdl);
  const gateway: RunningGateway = await startGateway({ supergraphPath, port: 0, watch: false, subscriptions: false, log: () => {}, ...options });
  return {
    url: gateway.url,
    subgraphRequests: subgraph.requests,
    async post(body: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: any; errors?: any[] } };
    },
    async stop() {
      await gateway.stop();
      await subgraph.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
