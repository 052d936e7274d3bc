import {
  DocumentNode, ExecutionResult, FieldNode, getOperationAST, GraphQLError, Kind, OperationDefinitionNode, print, SelectionSetNode, VariableDefinitionNode,
} from 'graphql';
import type { GatewayContext } from '../context';
import type { DossierStatusFeed, StatusEvent } from './status-feed';

export const MY_FIELD = 'myDossierStatusChanged';
/** The snapshot's size: the newest dossiers, one page at the largest page size. */
export const SNAPSHOT_SIZE = 100;
/**
 * The statuses a dossier's first event can have (online registration, received at the counter, or received and handed
 * to an agency at once): an event of a dossier the subscriber was not known to have is only checked with one of them.
 */
export const ENTRY_STATUSES = new Set(['DRAFT', 'RECEIVED', 'TRANSFERRED']);
const CODE_VARIABLE = 'onestopMyDossierCode';
const NOT_THEIRS = new Set(['FORBIDDEN', 'NOT_FOUND']);

type Execute = (query: string, variables: Record<string, unknown> | undefined, context: GatewayContext) => Promise<ExecutionResult>;

export interface MyDossierQueries {
  alias: string;
  /** `me { citizen { dossiers(limit: 100) { totalCount items { <selection> } } } }` under the alias. */
  snapshot: string;
  /** The codes of one more page of the subscriber's dossiers ($offset). */
  codes: string;
  /** `dossier(code: $onestopMyDossierCode) { <selection> }` under the alias. */
  dossier: string;
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const field = (fieldName: string, selectionSet?: SelectionSetNode, args: FieldNode['arguments'] = [], alias?: string): FieldNode => ({
  kind: Kind.FIELD, name: name(fieldName), arguments: args, selectionSet, ...(alias ? { alias: name(alias) } : {}),
});
const selections = (...fields: FieldNode[]): SelectionSetNode => ({ kind: Kind.SELECTION_SET, selections: fields });
const intArgument = (argName: string, value: number) => ({ kind: Kind.ARGUMENT, name: name(argName), value: { kind: Kind.INT, value: String(value) } }) as const;

/**
 * `subscription { myDossierStatusChanged { … } }` as the queries that serve it, with the same variables, fragments and
 * selection: the snapshot of the caller's own dossiers (through `me`, so only a citizen's own), and the re-read of one.
 */
export function myDossierQueries(document: DocumentNode, operationName?: string | null): MyDossierQueries | string {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'subscription') return 'not a subscription';
  const [only, ...others] = operation.selectionSet.selections;
  if (others.length || only?.kind !== Kind.FIELD || only.name.value !== MY_FIELD) return `subscribe to exactly one field, ${MY_FIELD}`;
  const alias = only.alias?.value ?? MY_FIELD;
  const selection = only.selectionSet!;
  const as = (query: OperationDefinitionNode) => print({
    ...document,
    definitions: document.definitions.map((d) => (d === operation ? query : d)).filter((d) => d.kind !== Kind.OPERATION_DEFINITION || d === query),
  });
  const query = (selectionSet: SelectionSetNode, variableDefinitions = operation.variableDefinitions): OperationDefinitionNode => ({
    ...operation, operation: 'query' as OperationDefinitionNode['operation'], variableDefinitions, selectionSet,
  });
  const mine = (page: SelectionSetNode, args: FieldNode['arguments']) =>
    selections(field('me', selections(field('citizen', selections(field('dossiers', page, args)))), [], alias));
  const codeVariable: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION, variable: { kind: Kind.VARIABLE, name: name(CODE_VARIABLE) },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name('String') } },
  };
  const offsetVariable: VariableDefinitionNode = { ...codeVariable, variable: { kind: Kind.VARIABLE, name: name('offset') }, type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name('Int') } } };
  return {
    alias,
    snapshot: as(query(mine(selections(field('totalCount'), field('items', selection)), [intArgument('limit', SNAPSHOT_SIZE)]))),
    codes: print({
      kind: Kind.DOCUMENT,
      definitions: [{
        kind: Kind.OPERATION_DEFINITION, operation: 'query' as OperationDefinitionNode['operation'], variableDefinitions: [offsetVariable],
        selectionSet: mine(selections(field('items', selections(field('code')))), [
          { kind: Kind.ARGUMENT, name: name('offset'), value: { kind: Kind.VARIABLE, name: name('offset') } }, intArgument('limit', SNAPSHOT_SIZE),
        ]),
      }],
    }),
    dossier: as(query(
      selections(field('dossier', selection, [{ kind: Kind.ARGUMENT, name: name('code'), value: { kind: Kind.VARIABLE, name: name(CODE_VARIABLE) } }], alias)),
      [...(operation.variableDefinitions ?? []), codeVariable],
    )),
  };
}

function refused(message: string, code: string): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}

interface Page {
  totalCount: number;
  items: Record<string, unknown>[];
}

/** The `dossiers` page under `alias: me { citizen { dossiers } }`, or null. */
function pageOf(result: ExecutionResult, alias: string): Page | null {
  const me = result.data?.[alias] as { citizen?: { dossiers?: Page | null } | null } | null | undefined;
  return me?.citizen?.dossiers ?? null;
}

/**
 * A citizen's own dossiers, live: each one as it is now (newest first, at most SNAPSHOT_SIZE), then a dossier each time
 * the status of one of theirs changes, read through the graph as the subscriber (the fields asked for, the same
 * authorization and masking as a query). A status event of a dossier not known to be theirs is only looked at when it
 * can be a new dossier's first (ENTRY_STATUSES), and then sent only if it is the newest of their own list (`me`): no
 * one else's dossier is ever read for them. Anonymous callers are refused (UNAUTHENTICATED), other roles too (FORBIDDEN).
 */
export async function subscribeToMyDossiers(
  feed: DossierStatusFeed, execute: Execute, document: DocumentNode, operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined, context: GatewayContext,
): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  if (!context.identity) return refused('Sign in to follow your dossiers: send a bearer token', 'UNAUTHENTICATED');
  if (context.identity.role !== 'citizen') {
    return refused(`${MY_FIELD} is a citizen's own feed; follow one dossier with dossierStatusChanged(code)`, 'FORBIDDEN');
  }
  const translated = myDossierQueries(document, operationName);
  if (typeof translated === 'string') return refused(translated, 'BAD_REQUEST');
  const queries = translated;

  // Listening before the snapshot is read: a change in between is sent after it, never lost.
  const pending = new Map<string, StatusEvent>();
  let wake: (() => void) | undefined;
  const stop = feed.listenAll((event) => {
    pending.delete(event.code);
    pending.set(event.code, event);
    wake?.();
  });
  let snapshot: ExecutionResult;
  let known: Set<string>;
  try {
    snapshot = await execute(queries.snapshot, variables, context);
    const page = pageOf(snapshot, queries.alias);
    if (snapshot.errors?.length || !page) {
      stop();
      return { errors: snapshot.errors?.length ? snapshot.errors : [new GraphQLError('You have no citizen record here', { extensions: { code: 'NOT_FOUND' } })] };
    }
    known = new Set(page.items.map((item) => item.code).filter((code): code is string => typeof code === 'string'));
    // the codes of older dossiers too, so that their changes are sent
    for (let offset = SNAPSHOT_SIZE; offset < page.totalCount; offset += SNAPSHOT_SIZE) {
      const more = pageOf(await execute(queries.codes, { offset }, context), queries.alias);
      for (const item of more?.items ?? []) known.add(item.code as string);
    }
  } catch (error) {
    stop();
    throw error;
  }
  const items = pageOf(snapshot, queries.alias)!.items;
  let closed = false;

  async function* updates(): AsyncGenerator<ExecutionResult> {
    try {
      for (const item of items) yield { data: { [queries.alias]: item } };
      for (;;) {
        if (!pending.size) await new Promise<void>((resolve) => { wake = resolve; });
        wake = undefined;
        if (closed) return;
        const [code, event] = pending.entries().next().value as [string, StatusEvent];
        pending.delete(code);
        const read = { ...context, requestId: `${context.requestId}-${Date.now()}` };
        if (!known.has(code)) {
          // a new dossier of theirs is the newest of their own list (asked as them: no one else's dossier is read)
          if (!ENTRY_STATUSES.has(event.status ?? '')) continue;
          const newest = pageOf(await execute(queries.codes, { offset: 0 }, read), queries.alias);
          if (!newest?.items.some((item) => item.code === code)) continue;
          known.add(code);
        }
        const result = await execute(queries.dossier, { ...variables, [CODE_VARIABLE]: code }, read);
        if (result.errors?.some((error) => NOT_THEIRS.has(String(error.extensions?.code))) || !result.data?.[queries.alias]) continue;
        yield result.errors?.length ? { data: result.data, errors: result.errors } : { data: result.data };
      }
    } finally {
      stop();
    }
  }
  const stream = updates();
  // graphql-ws ends a subscription with return(), which a generator only sees at a yield; this one may wait long for
  // an event of the subscriber's (never, if none comes), so its return() stops listening and wakes it at once.
  const end = stream.return.bind(stream);
  stream.return = (value) => {
    closed = true;
    stop();
    wake?.();
    return end(value);
  };
  return stream;
}
