/**
 * What is known of the request being served, for its log line: made by the HTTP server for each request, completed by
 * the GraphQL plugins (caller role, operation name), which find it from the request's context value.
 *
 * Deliberately not an AsyncLocalStorage: with one active, every promise of the process pays for the propagation
 * (measured: about a tenth of the CPU of a small GraphQL request on Node 20). The request id reaches handoffs through
 * RequestContext.handoffs (HandoffNode.forRequest) instead.
 */
export interface RequestScope {
  requestId: string;
  /** The caller's role once the context is built (`anonymous` without a token). */
  role?: string;
  /** The operation name, as the client sent it (for the log line; metrics bound theirs). */
  operation?: string;
  /** The W3C trace id when tracing is on. */
  traceId?: string;
}

/** On the context value itself (enumerable: Apollo Server shallow-clones the context of each operation). */
const SCOPE = Symbol('onestop.requestScope');

/** Ties a request's scope to the context value Apollo Server hands to plugins and resolvers; returns the context. */
export function attachRequestScope<T>(context: T, scope: RequestScope): T {
  if (context && typeof context === 'object') Object.defineProperty(context, SCOPE, { value: scope, enumerable: true, configurable: true });
  return context;
}

/** The scope of the request a context value was built for, if the platform's HTTP server built it. */
export function requestScopeOf(context: unknown): RequestScope | undefined {
  return context && typeof context === 'object' ? (context as { [SCOPE]?: RequestScope })[SCOPE] : undefined;
}
