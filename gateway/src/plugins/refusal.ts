import type { GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** A typed refusal: `code` for clients, the HTTP status (and headers) the response gets. */
export function refusal(
  code: string,
  message: string,
  status: number,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...extensions, http: { status, headers: new HeaderMap(Object.entries(headers)) } },
  });
}

const refused = new WeakSet<object>();

/** Whether an earlier plugin already refused this request (so later ones need not look at it). */
export function isRefused(requestContext: GraphQLRequestContext<any>): boolean {
  return refused.has(requestContext.request);
}

/**
 * Refuses a request from requestDidStart without parsing or validating what the caller sent: Apollo Server turns an
 * error thrown there into a 500, so the caller's document is swapped for a trivial one and the error is thrown once
 * the operation resolves (didResolveOperation runs before any execution, so nothing reaches a subgraph).
 */
export function refuseBeforeParsing(requestContext: GraphQLRequestContext<any>, error: GraphQLError): GraphQLRequestListener<any> {
  const { request } = requestContext;
  refused.add(request);
  request.query = '{ __typename }';
  request.operationName = undefined;
  if (request.extensions?.persistedQuery) {
    const { persistedQuery: _persistedQuery, ...rest } = request.extensions;
    request.extensions = rest;
  }
  return {
    async didResolveOperation() {
      throw error;
    },
  };
}
