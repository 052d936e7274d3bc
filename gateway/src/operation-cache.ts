import * as operations from '@apollo/federation-internals/dist/operations';
import { DefinitionNode, Kind, OperationDefinitionNode } from 'graphql';

type OperationFromDocument = typeof operations.operationFromDocument;
type Schema = Parameters<OperationFromDocument>[0];
type Operation = ReturnType<OperationFromDocument>;

interface Cached {
  schema: Schema;
  fragments: readonly DefinitionNode[];
  operation: Operation;
}

let installed: { original: OperationFromDocument; hits: number; misses: number } | undefined;

/**
 * @apollo/gateway builds the operation's federation model again for every request, to shape the response
 * (`operationFromDocument(apiSchema, { definitions: [operation, ...fragments] }, { validate: false })` in
 * executeQueryPlan): about 8 % of the gateway's allocations and a share of its CPU under the portal mix. Apollo Server
 * hands it the same parsed document for the same query text (its document store), so the model is kept per parsed
 * operation node and schema and built once. The model is only read afterwards (the response is shaped from it with
 * each request's variables). Other calls (the planner's, with validation) go to the original unchanged.
 */
export function cacheGatewayOperations(): void {
  if (installed) return;
  const original = operations.operationFromDocument;
  const state = { original, hits: 0, misses: 0 };
  const cache = new WeakMap<OperationDefinitionNode, Cached>();
  const cached: OperationFromDocument = (schema, document, options) => {
    const [first, ...fragments] = document.definitions;
    if (options?.validate !== false || options.operationName || first?.kind !== Kind.OPERATION_DEFINITION) {
      return original(schema, document, options);
    }
    const hit = cache.get(first);
    if (hit && hit.schema === schema && hit.fragments.length === fragments.length && hit.fragments.every((f, i) => f === fragments[i])) {
      state.hits++;
      return hit.operation;
    }
    state.misses++;
    const operation = original(schema, document, options);
    cache.set(first, { schema, fragments, operation });
    return operation;
  };
  (operations as { operationFromDocument: OperationFromDocument }).operationFromDocument = cached;
  installed = state;
}

/** How often the cache answered (for tests and the benchmark's notes). */
export function operationCacheStats(): { hits: number; misses: number } {
  return { hits: installed?.hits ?? 0, misses: installed?.misses ?? 0 };
}
