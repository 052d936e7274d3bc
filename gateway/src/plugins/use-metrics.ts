import type { ApolloServerPlugin } from '@apollo/server';
import { parse } from 'graphql';
import { Counter, errorCodeLabel, Histogram, LATENCY_BUCKETS, METRIC_PREFIX, Registry, ServiceMetrics, useGraphQLMetrics } from '@onestop/platform/gateway';
import type { GatewayContext } from '../context';
import type { SubgraphFetchObserver } from '../subgraph-data-source';
import { SAVED_QUERIES } from '../explorer/saved-queries';
import { OperationAllowlist, PersistedOperationsOptions } from './use-persisted-operations';

/**
 * The gateway's GraphQL series (per operation: requests, duration, errors by code; see platform's useGraphQLMetrics).
 * Without metrics (METRICS=off) it still tells the request's log line the caller's role and the operation name.
 */
export function useMetrics(options: { metrics?: ServiceMetrics } = {}): ApolloServerPlugin<GatewayContext> {
  return useGraphQLMetrics<GatewayContext>(options.metrics);
}

/**
 * Per subgraph: how long each fetch took (`onestop_subgraph_fetch_duration_seconds`) and the errors it ended with
 * (`onestop_subgraph_fetch_errors_total` by code: SUBGRAPH_TIMEOUT, SUBGRAPH_UNAVAILABLE, or the codes of the errors
 * in its response). SubgraphDataSource reports each fetch.
 */
export function subgraphFetchMetrics(registry: Registry): SubgraphFetchObserver {
  const duration = new Histogram({
    name: `${METRIC_PREFIX}subgraph_fetch_duration_seconds`, help: 'Time of each subgraph fetch made by the gateway, by subgraph',
    labelNames: ['subgraph'], buckets: LATENCY_BUCKETS, registers: [registry],
  });
  const errors = new Counter({
    name: `${METRIC_PREFIX}subgraph_fetch_errors_total`, help: 'Subgraph fetches that failed or answered with errors, by subgraph and error code',
    labelNames: ['subgraph', 'code'], registers: [registry],
  });
  return (subgraph, seconds, errorCodes) => {
    duration.observe({ subgraph }, seconds);
    for (const code of errorCodes) errors.inc({ subgraph, code: errorCodeLabel(code) });
  };
}

/** Operation names in GraphQL documents (the saved reports, a persisted-operation manifest): always labelled. */
export function operationNamesOf(documents: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const text of documents) {
    try {
      for (const definition of parse(text).definitions) {
        if (definition.kind === 'OperationDefinition' && definition.name) names.add(definition.name.value);
      }
    } catch {
      // not a document: no names
    }
  }
  return [...names];
}

/** The operations always labelled by name: the saved reports, and the manifest's in allowlist mode. */
export function knownOperationNames(persisted: PersistedOperationsOptions = {}): string[] {
  const documents = SAVED_QUERIES.map((saved) => saved.query);
  const manifest = (persisted.mode ?? 'off') === 'allowlist' ? persisted.manifest : undefined;
  if (manifest) documents.push(...(typeof manifest === 'string' ? OperationAllowlist.fromFile(manifest) : new OperationAllowlist(manifest)).texts);
  return operationNamesOf(documents);
}
