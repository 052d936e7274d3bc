import type { ApolloServerPlugin } from '@apollo/server';

export interface SupergraphStatus {
  loaded: boolean;
  loadedAt: Date | null;
  subgraphs: { name: string; url: string }[];
}

/** Keeps what the readiness endpoint reports in step with the supergraph the gateway is serving. */
export function useSupergraphStatus(status: SupergraphStatus, resolveUrl: (name: string, url: string) => string): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ coreSupergraphSdl }) {
          if (!coreSupergraphSdl) return;
          status.loaded = true;
          status.loadedAt = new Date();
          status.subgraphs = [...coreSupergraphSdl.matchAll(/@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]*)"\)/g)].map(
            ([, name, url]) => ({ name, url: resolveUrl(name, url) }),
          );
        },
      };
    },
  };
}
