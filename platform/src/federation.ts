import 'reflect-metadata';
import { GraphQLObjectType, GraphQLSchema, isNonNullType } from 'graphql';
import gql from 'graphql-tag';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { buildSchema, createResolversMap, getMetadataStorage, NonEmptyArray } from 'type-graphql';
import type { RequestContext } from './context';
import { authChecker, ForbiddenError } from './auth/access';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@listSize"])';

/** `__resolveReference` per entity type this subgraph owns: (representation, context) → entity or null. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReferenceResolvers = Record<string, (representation: any, context: RequestContext) => unknown>;

export interface FederatedSchemaOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  references?: ReferenceResolvers;
  /** SDL added as is, e.g. a Subscription type the gateway serves itself (subgraphs answer over HTTP only). */
  extraTypeDefs?: string;
}

/**
 * type-graphql builds the schema from classes; its SDL (with the @key directives type-graphql keeps in AST nodes)
 * is then rebuilt as a Federation 2 subgraph with type-graphql's resolvers plus the reference resolvers.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
    authChecker,
  });
  for (const { typeName, fieldName } of guardedFields(options.resolvers)) {
    const field = (schema.getType(typeName) as GraphQLObjectType | undefined)?.getFields()[fieldName];
    if (field && isNonNullType(field.type)) field.type = field.type.ofType;
  }
  const typeDefs = gql(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}\n${options.extraTypeDefs ?? ''}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const { typeName, fieldName } of unguardedRootFields(options.resolvers)) {
    const fields = (resolvers[typeName] ?? {}) as Record<string, unknown>;
    fields[fieldName] = () => {
      throw new ForbiddenError(`${typeName}.${fieldName} has no access rule, so nobody may use it`);
    };
    resolvers[typeName] = fields as GraphQLResolverMap<unknown>[string];
  }
  for (const [typeName, resolve] of Object.entries(options.references ?? {})) {
    const existing = (resolvers[typeName] ?? {}) as Record<string, unknown>;
    resolvers[typeName] = { ...existing, __resolveReference: resolve } as GraphQLResolverMap<unknown>[string];
  }
  return buildSubgraphSchema({ typeDefs, resolvers });
}

export { printSubgraphSchema };

/**
 * Field resolvers (not root fields) of these classes with an access rule of their own (`@Authorized` on the field):
 * they are nullable in the schema, so a caller refused one gets null and that field's error, with the rest of its
 * parent (a non-null field refused would null the whole entity, and with it every other subgraph's fields of it).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function guardedFields(resolverClasses: readonly Function[]): { typeName: string; fieldName: string }[] {
  const storage = getMetadataStorage();
  const classes = new Set(resolverClasses);
  return storage.fieldResolvers
    .filter((resolver) => classes.has(resolver.target) && storage.authorizedFields.some((a) => a.target === resolver.target && a.fieldName === resolver.methodName))
    .flatMap((resolver) => {
      const objectType = resolver.getObjectType?.() ?? storage.resolverClasses.find((c) => c.target === resolver.target)?.getObjectType?.();
      const typeName = storage.objectTypes.find((o) => o.target === objectType)?.name;
      return typeName ? [{ typeName, fieldName: resolver.schemaName }] : [];
    });
}

/** Root fields of these resolver classes without `@Authorized(...)`: deny by default, they are refused. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function unguardedRootFields(resolverClasses: readonly Function[]): { typeName: string; fieldName: string }[] {
  const storage = getMetadataStorage();
  const classes = new Set(resolverClasses);
  const guarded = (target: Function, methodName: string) =>
    storage.authorizedFields.some((a) => a.target === target && a.fieldName === methodName) ||
    storage.authorizedResolver.some((a) => a.target === target);
  const roots = [
    ...storage.queries.map((q) => ({ ...q, typeName: 'Query' })),
    ...storage.mutations.map((m) => ({ ...m, typeName: 'Mutation' })),
    ...storage.subscriptions.map((s) => ({ ...s, typeName: 'Subscription' })),
  ];
  return roots
    .filter((root) => classes.has(root.target) && !guarded(root.target, root.methodName))
    .map((root) => ({ typeName: root.typeName, fieldName: root.schemaName }));
}
