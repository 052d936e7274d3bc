import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { DocumentNode, FragmentDefinitionNode, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { isProduction, isRole, Role } from '@onestop/platform/gateway';
import type { GatewayContext } from '../context';
import { isRefused, refusal } from './refusal';

/** on: anyone may introspect; off: no one; roles: only callers with one of `roles`. */
export type IntrospectionMode = 'on' | 'off' | 'roles';

export interface IntrospectionPolicyOptions {
  /** Default: `roles` when NODE_ENV=production, else `on`. */
  mode?: IntrospectionMode;
  /** Who may introspect in `roles` mode. Default analyst and admin. */
  roles?: Role[];
}

export function introspectionMode(options: IntrospectionPolicyOptions = {}, env: NodeJS.ProcessEnv = process.env): IntrospectionMode {
  return options.mode ?? (isProduction(env) ? 'roles' : 'on');
}

/** Whether the operation selects `__schema` or `__type` anywhere (`__typename` is not introspection here). */
export function selectsIntrospection(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const seen = new Set<string>();
  const search = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        return name === '__schema' || name === '__type' || (selection.selectionSet !== undefined && search(selection.selectionSet));
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return search(selection.selectionSet);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) return false;
      seen.add(fragment.name.value);
      return search(fragment.selectionSet);
    });
  return search(operation.selectionSet);
}

// Any text that could hold an introspection field; most operations fail this and are never walked.
const MAY_INTROSPECT = /__schema|__type\b/;

/**
 * Who may see the schema. Apollo Server's own `introspection` switch is all or nothing, so the gateway sets it on and
 * this plugin refuses `__schema`/`__type` (HTTP 403, INTROSPECTION_DISABLED) to callers the mode does not let in.
 */
export function useIntrospectionPolicy(options: IntrospectionPolicyOptions = {}): ApolloServerPlugin<GatewayContext> {
  const mode = introspectionMode(options);
  const roles = new Set<string>(options.roles ?? ['analyst', 'admin']);
  const found = new WeakMap<OperationDefinitionNode, boolean>();

  const listener: GraphQLRequestListener<GatewayContext> = {
    async didResolveOperation(requestContext) {
      const { source, document, operation, contextValue } = requestContext;
      if (!operation || !MAY_INTROSPECT.test(source) || isRefused(requestContext)) return;
      const role = contextValue.identity?.role;
      if (mode === 'roles' && role && roles.has(role)) return;
      let introspects = found.get(operation);
      if (introspects === undefined) {
        introspects = selectsIntrospection(document, operation);
        found.set(operation, introspects);
      }
      if (!introspects) return;
      throw refusal(
        'INTROSPECTION_DISABLED',
        mode === 'off' ? 'Introspection is disabled on this gateway' : `Introspection is only for ${[...roles].join(' and ')} callers`,
        403,
      );
    },
  };
  return {
    async requestDidStart() {
      return mode === 'on' ? undefined : listener;
    },
  };
}

/** GATEWAY_INTROSPECTION=on|off|roles, GATEWAY_INTROSPECTION_ROLES=analyst,admin. */
export function introspectionFromEnv(env: NodeJS.ProcessEnv = process.env): IntrospectionPolicyOptions {
  const raw = env.GATEWAY_INTROSPECTION;
  if (raw !== undefined && raw !== '' && raw !== 'on' && raw !== 'off' && raw !== 'roles') {
    throw new Error(`GATEWAY_INTROSPECTION must be on, off or roles, got "${raw}"`);
  }
  const roles = env.GATEWAY_INTROSPECTION_ROLES?.split(',').map((r) => r.trim()).filter(Boolean);
  for (const role of roles ?? []) if (!isRole(role)) throw new Error(`GATEWAY_INTROSPECTION_ROLES: unknown role "${role}"`);
  return { mode: (raw || undefined) as IntrospectionMode | undefined, roles: roles as Role[] | undefined };
}
