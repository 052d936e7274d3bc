import type { ApolloServerPlugin } from '@apollo/server';
import { describeIdentity, Identity } from './identity';

const DENIALS = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);

/** Every refused access goes on record (one JSON line): who, which fields, why, under which request id. */
export function useAccessDenialLog<TContext extends { requestId: string; identity?: Identity | null }>(
  service: string,
  log: (entry: Record<string, unknown>) => void = (entry) => console.log(JSON.stringify(entry)),
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operationName }) {
          if (response.body.kind !== 'single') return;
          const denied = (response.body.singleResult.errors ?? []).filter((error) => DENIALS.has(String(error.extensions?.code)));
          if (!denied.length) return;
          log({
            level: 'warn', msg: 'access denied', service, requestId: contextValue.requestId, caller: describeIdentity(contextValue.identity),
            operationName: operationName ?? null,
            denied: denied.map((error) => ({ code: error.extensions?.code, path: error.path?.join('.') ?? null, message: error.message })),
          });
        },
      };
    },
  };
}
