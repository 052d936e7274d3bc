import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  DefinitionNode,
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  parse,
  print,
  SelectionSetNode,
  validate,
} from 'graphql';
import { isRole, Role } from '@onestop/platform/gateway';
import type { GatewayContext } from '../context';
import { isRefused, refusal, refuseBeforeParsing } from './refusal';

export type PersistedOperationsMode = 'off' | 'allowlist';

/** Apollo's persisted query manifest (what @apollo/generate-persisted-query-manifest writes). */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

/** Also accepted: `{ "operations": { "<sha256 of the text>": "query text" } }`. */
export interface OperationMap {
  operations: Record<string, string>;
}

export interface PersistedOperationsOptions {
  /** off (default): any valid operation runs; allowlist: only the manifest's operations. */
  mode?: PersistedOperationsMode;
  /** The manifest: a file path or its parsed content. Required in allowlist mode. */
  manifest?: string | PersistedQueryManifest | OperationMap;
  /** Roles that may still run any operation (the explorer). Default analyst and admin; [] for no one. */
  anyOperationRoles?: Role[];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The manifest's operations by hash and by text; every id is checked against the sha256 of its text. */
export class OperationAllowlist {
  readonly byHash = new Map<string, string>();
  readonly texts = new Set<string>();

  constructor(manifest: PersistedQueryManifest | OperationMap) {
    const entries: [string, string][] = Array.isArray(manifest?.operations)
      ? (manifest as PersistedQueryManifest).operations.map((operation) => [operation.id, operation.body])
      : Object.entries((manifest as OperationMap)?.operations ?? {});
    if (manifest && 'format' in manifest && (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1)) {
      throw new Error(`unknown manifest format "${manifest.format}" version ${manifest.version}`);
    }
    if (!entries.length) throw new Error('the manifest has no operations');
    for (const [id, body] of entries) {
      if (typeof body !== 'string' || !body.trim()) throw new Error(`operation ${id} has no text`);
      if (sha256(body) !== id) throw new Error(`operation ${id}: id is not the sha256 of its text (${sha256(body)})`);
      this.byHash.set(id, body);
      this.texts.add(body);
    }
  }

  static fromFile(file: string): OperationAllowlist {
    let content: unknown;
    try {
      content = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read the operations manifest ${file}: ${(error as Error).message}`);
    }
    return new OperationAllowlist(content as PersistedQueryManifest);
  }
}

/**
 * Allowlist mode for portals: an operation runs only if the manifest has it, sent either as its text or, APQ style,
 * as `extensions.persistedQuery.sha256Hash` alone (the plugin fills in the text before Apollo Server's own APQ looks,
 * so the hash works without any registration). Anything else, even with a valid token, is refused before parsing
 * with PERSISTED_OPERATION_NOT_ALLOWED (HTTP 403); callers with one of `anyOperationRoles` are not restricted.
 */
export function usePersistedOperations(options: PersistedOperationsOptions = {}): ApolloServerPlugin<GatewayContext> {
  const policy = persistedOperationPolicy(options);
  if (!policy) return {};
  return {
    async requestDidStart(requestContext) {
      const { request, contextValue } = requestContext;
      if (contextValue.allowlistedSubscription || isRefused(requestContext)) return;
      const sentHash = request.extensions?.persistedQuery?.sha256Hash;
      if (request.query === undefined && !request.extensions?.persistedQuery) return; // Apollo Server answers with its own 400
      const allowed = policy.check(contextValue.identity?.role, request.query, sentHash);
      if (allowed === 'any') return;
      if (allowed !== null) {
        request.query = allowed;
        return;
      }
      return refuseBeforeParsing(requestContext, refusal(NOT_ALLOWED.code, NOT_ALLOWED.message, 403));
    },
  };
}

/** The refusal of an operation the manifest does not have (HTTP 403 over HTTP, an error over the WebSocket). */
export const NOT_ALLOWED = { code: 'PERSISTED_OPERATION_NOT_ALLOWED', message: 'This gateway only runs registered operations' } as const;

export interface PersistedOperationPolicy {
  /**
   * For a caller's role and what they sent (the text, or a manifest id alone): 'any' when their role is not held to the
   * allowlist, the operation's text when the manifest has it, null when it does not.
   */
  check(role: string | undefined, query: string | undefined, sentHash: unknown): string | 'any' | null;
}

/** The allowlist as the HTTP plugin and the subscription server both apply it; undefined when the mode is off. */
export function persistedOperationPolicy(options: PersistedOperationsOptions = {}): PersistedOperationPolicy | undefined {
  if ((options.mode ?? 'off') === 'off') return undefined;
  if (!options.manifest) throw new Error('persisted operations in allowlist mode need a manifest');
  const allowlist = typeof options.manifest === 'string' ? OperationAllowlist.fromFile(options.manifest) : new OperationAllowlist(options.manifest);
  const anyOperationRoles = new Set<string>(options.anyOperationRoles ?? ['analyst', 'admin']);
  return {
    check(role, query, sentHash) {
      if (role && anyOperationRoles.has(role)) return 'any';
      if (query === undefined) return typeof sentHash === 'string' ? allowlist.byHash.get(sentHash) ?? null : null;
      return allowlist.texts.has(query) ? query : null;
    },
  };
}

function usedFragments(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, into: Set<string>): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment) throw new Error(`unknown fragment ${name}`);
      if (into.has(name)) continue;
      into.add(name);
      usedFragments(fragment.selectionSet, fragments, into);
    } else if (selection.selectionSet) {
      usedFragments(selection.selectionSet, fragments, into);
    }
  }
}

/**
 * A manifest from .graphql sources: each named operation with the fragments it uses (from any source, sorted by
 * name), printed by graphql-js; the id is the sha256 of that text. Operations are sorted by name.
 */
export function buildManifest(sources: { name: string; text: string }[]): PersistedQueryManifest {
  const operations: OperationDefinitionNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const source of sources) {
    let document: DocumentNode;
    try {
      document = parse(source.text);
    } catch (error) {
      throw new Error(`${source.name}: ${(error as Error).message}`);
    }
    for (const definition of document.definitions as DefinitionNode[]) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        if (!definition.name) throw new Error(`${source.name}: every operation needs a name`);
        operations.push(definition);
      } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        if (fragments.has(definition.name.value)) throw new Error(`${source.name}: fragment ${definition.name.value} is defined twice`);
        fragments.set(definition.name.value, definition);
      } else {
        throw new Error(`${source.name}: only operations and fragments belong in operation files`);
      }
    }
  }
  const names = new Set<string>();
  const entries = operations.map((operation) => {
    const name = operation.name!.value;
    if (names.has(name)) throw new Error(`operation ${name} is defined twice`);
    names.add(name);
    const used = new Set<string>();
    usedFragments(operation.selectionSet, fragments, used);
    const body = [operation, ...[...used].sort().map((fragment) => fragments.get(fragment)!)].map((definition) => print(definition)).join('\n\n');
    return { id: sha256(body), name, type: operation.operation, body };
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations: entries };
}

/** The .graphql files of a directory, sorted by file name, as sources for buildManifest. */
export function readOperationSources(dir: string): { name: string; text: string }[] {
  return fs.readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => ({ name: file, text: fs.readFileSync(path.join(dir, file), 'utf8') }));
}

/** Every manifest operation that does not validate against the schema, with graphql-js's reasons. */
export function invalidOperations(schema: GraphQLSchema, manifest: PersistedQueryManifest): { name: string; errors: readonly GraphQLError[] }[] {
  return manifest.operations
    .map((operation) => ({ name: operation.name, errors: validate(schema, parse(operation.body)) }))
    .filter((result) => result.errors.length > 0);
}

/** GATEWAY_PERSISTED_OPERATIONS=off|allowlist, GATEWAY_OPERATIONS_MANIFEST, GATEWAY_ANY_OPERATION_ROLES=analyst,admin|none. */
export function persistedOperationsFromEnv(env: NodeJS.ProcessEnv = process.env): PersistedOperationsOptions {
  const mode = env.GATEWAY_PERSISTED_OPERATIONS || 'off';
  if (mode !== 'off' && mode !== 'allowlist') throw new Error(`GATEWAY_PERSISTED_OPERATIONS must be off or allowlist, got "${mode}"`);
  if (mode === 'allowlist' && !env.GATEWAY_OPERATIONS_MANIFEST) throw new Error('GATEWAY_PERSISTED_OPERATIONS=allowlist needs GATEWAY_OPERATIONS_MANIFEST');
  const rolesRaw = env.GATEWAY_ANY_OPERATION_ROLES;
  const roles = rolesRaw === undefined ? undefined : rolesRaw === 'none' ? [] : rolesRaw.split(',').map((r) => r.trim()).filter(Boolean);
  for (const role of roles ?? []) if (!isRole(role)) throw new Error(`GATEWAY_ANY_OPERATION_ROLES: unknown role "${role}"`);
  return { mode, manifest: env.GATEWAY_OPERATIONS_MANIFEST || undefined, anyOperationRoles: roles as Role[] | undefined };
}
