import { ApolloClient, HttpLink, InMemoryCache, split } from '@apollo/client';
import { setContext } from '@apollo/client/link/context';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import type { DocumentNode } from 'graphql';
import { createClient } from 'graphql-ws';
import manifest from '../operations.manifest.json';
import type { Session } from './session';

/** The gateway's GraphQL endpoint beside /portal/ (relative: the portal works behind a path prefix too). */
export function graphqlUrl(base = window.location.href): URL {
  return new URL('../graphql', base);
}

const idByName = new Map(manifest.operations.map((operation) => [operation.name, operation.id]));

/** The manifest id of a document's operation: requests carry the id alone, which the gateway's allowlist resolves. */
export function manifestId(document: DocumentNode): string {
  const definition = getMainDefinition(document);
  const name = definition.name?.value;
  const id = name ? idByName.get(name) : undefined;
  if (!id) throw new Error(`operation ${name ?? '(anonymous)'} is not in the portal's manifest (npm run generate -w portal)`);
  return id;
}

/**
 * One client per signed-in caller: queries and mutations over HTTP POST by manifest id (persisted operations), the
 * status subscription over graphql-ws on the same path, the token in `Authorization` and in the socket's
 * connectionParams. Dossiers are cached by code, so a status update refreshes every list showing that dossier.
 */
export function createApolloClient(session: Session | null) {
  const url = graphqlUrl();
  const authorization = session ? `Bearer ${session.token}` : undefined;
  const http = new HttpLink({ uri: url.toString() });
  const auth = setContext((_operation, { headers }) => ({ headers: { ...headers, ...(authorization ? { authorization } : {}) } }));
  const persisted = createPersistedQueryLink({ generateHash: manifestId, useGETForHashedQueries: false });
  const wsUrl = new URL(url);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = createClient({ url: wsUrl.toString(), lazy: true, connectionParams: authorization ? { authorization } : {}, retryAttempts: 3 });
  const link = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    new GraphQLWsLink(socket),
    auth.concat(persisted).concat(http),
  );
  const client = new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        Dossier: { keyFields: ['code'] },
        Procedure: { keyFields: ['code'] },
        Agency: { keyFields: ['code'] },
        DossierLookup: { keyFields: ['code'] },
      },
    }),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
  return { client, close: () => socket.dispose() };
}
