import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The five agency subgraphs, in the order they are started. Ports are the defaults of each subgraph's definition. */
export const SUBGRAPHS = [
  { name: 'single-window', dir: 'subgraphs/single-window', port: 4001 },
  { name: 'civil-status', dir: 'subgraphs/civil-status', port: 4002 },
  { name: 'business-registration', dir: 'subgraphs/business-registration', port: 4003 },
  { name: 'land', dir: 'subgraphs/land', port: 4004 },
  { name: 'tax', dir: 'subgraphs/tax', port: 4005 },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export function subgraphMain(dir: string): string {
  return path.join(ROOT, dir, 'dist', 'main.js');
}

export const GATEWAY_MAIN = path.join(ROOT, 'gateway', 'dist', 'main.js');
export const SUPERGRAPH_PATH = path.join(ROOT, 'schemas', 'supergraph.graphql');
