import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { errorCodeLabel, ServiceMetrics } from './metrics';
import { requestScopeOf } from './request-scope';

/**
 * GraphQL series per operation (bounded names, see OperationNames): requests, duration, errors by code; and tells the
 * request's log line who called (role) and what (operation name). Without `metrics` (METRICS=off) only the latter.
 */
export function useGraphQLMetrics<TContext extends BaseContext & { identity?: { role: string } | null }>(
  metrics?: ServiceMetrics,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      const scope = requestScopeOf(contextValue);
      if (scope) scope.role = contextValue.identity?.role ?? 'anonymous';
      return {
        async willSendResponse({ response, operationName, request }) {
          const name = operationName ?? request.operationName;
          if (scope && name) scope.operation = name.slice(0, 100);
          if (!metrics) return;
          const operation = metrics.operations.label(name);
          metrics.graphqlRequests.inc({ operation });
          metrics.graphqlDuration.observe({ operation }, Number(process.hrtime.bigint() - started) / 1e9);
          const errors: readonly GraphQLFormattedError[] | undefined =
            response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          for (const error of errors ?? []) metrics.graphqlErrors.inc({ operation, code: errorCodeLabel(error.extensions?.code) });
        },
      };
    },
  };
}
