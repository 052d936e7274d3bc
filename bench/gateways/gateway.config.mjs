// Hive Gateway for `npm run bench:gateways` (scripts/src/bench-gateways.ts starts it with the env below).
// Its defaults, plus the two things it needs to reach our subgraphs at all:
// - where the bench's subgraphs listen (BENCH_SUBGRAPH_URLS, JSON {name: url}), over the URLs composed in the file;
// - the caller's signed identity: the load generator sends `x-onestop-identity` (precomputed with the gateway's key)
//   and this forwards it unchanged. It verifies nothing itself (no JWT, no limits), unlike our gateway.
import { defineConfig } from '@graphql-hive/gateway';

const IDENTITY_HEADER = 'x-onestop-identity';
const urls = JSON.parse(process.env.BENCH_SUBGRAPH_URLS || '{}');

export const gatewayConfig = defineConfig({
  transportEntries: Object.fromEntries(Object.entries(urls).map(([name, location]) => [name, { location }])),
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => {
      const identity = request.headers.get(IDENTITY_HEADER);
      return identity ? { [IDENTITY_HEADER]: identity } : undefined;
    },
  },
});
