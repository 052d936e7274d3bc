import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context';
import { refusal } from './refusal';

/**
 * A document whose `operationName` names none of its operations (or that holds several and names none) is refused
 * with 400 OPERATION_RESOLUTION_FAILURE. Apollo Server hands such a request to the gateway's executor, whose query
 * planner throws, and the caller got a 500.
 */
export function useOperationResolution(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          throw refusal('OPERATION_RESOLUTION_FAILURE', request.operationName
            ? `Unknown operation named "${request.operationName}"`
            : 'The document holds several operations: name the one to run (operationName)', 400);
        },
      };
    },
  };
}
