import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  ConstDirectiveNode,
  getNullableType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  parse,
  SchemaMetaFieldDef,
  SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  valueFromASTUntyped,
} from 'graphql';
import { intFromEnv, lruCache } from '@onestop/platform/gateway';
import type { GatewayContext } from '../context';
import { refusal } from './refusal';

export type OperationLimit = 'depth' | 'aliases' | 'rootFields' | 'cost';

export interface OperationLimitsOptions {
  /** Longest chain of nested fields; the root fields are depth 1. Default 12. */
  maxDepth?: number;
  /** Aliased fields, counted once per use of the fragment they are in. Default 30. */
  maxAliases?: number;
  /** Fields at the operation's root. Default 15. */
  maxRootFields?: number;
  /** Cost budget: each field costs 1, a list multiplies the cost of its selection by its size. Default 10000. */
  maxCost?: number;
  /** Size assumed for a list without a `limit`/`first` argument. Default 20 (the default page size). */
  defaultListSize?: number;
  /** Size assumed for a list inside `__schema`/`__type`. Default 1: see README. */
  introspectionListSize?: number;
  /** Distinct operations whose analysis is kept, the least recently used dropped first. Default 1000. */
  cacheSize?: number;
  /**
   * What the schema says of its lists' sizes (`@listSize` in the supergraph, see listSizesFromSupergraph), for the
   * schema a request is validated with; without, or for a field without a hint, the defaults above.
   */
  listSizes?: (schema: GraphQLSchema) => ListSizes | undefined;
}

/**
 * The cost specification's `@listSize` (https://specs.apollo.dev/cost/v0.1, Federation 2.9; IBM's GraphQL cost
 * directives): `assumedSize` is the most items the list has when no slicing argument says; `slicingArguments` name
 * the arguments that bound it (instead of `limit`/`first`); `sizedFields` name the lists inside a page that the
 * slicing argument bounds (instead of every list directly inside it).
 */
export interface ListSizeHint {
  assumedSize?: number;
  slicingArguments?: readonly string[];
  sizedFields?: readonly string[];
}

/** Hints by `Type.field`. */
export type ListSizes = ReadonlyMap<string, ListSizeHint>;

const COST_SPEC = 'https://specs.apollo.dev/cost/';

/**
 * The `@listSize` hints of a supergraph (or any SDL): the directive's name is the one the cost spec's `@link`
 * imports it as (`@listSize`, or `@cost__listSize` when not imported), `@listSize` when the SDL has no such link.
 */
export function listSizesFromSupergraph(sdl: string): ListSizes {
  const document = parse(sdl, { noLocation: true });
  let name = 'listSize';
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      const args = Object.fromEntries((link.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
      if (link.name.value !== 'link' || typeof args.url !== 'string' || !args.url.startsWith(COST_SPEC)) continue;
      name = `${args.as ?? 'cost'}__listSize`;
      for (const entry of (args.import ?? []) as (string | { name: string; as?: string })[]) {
        if (entry === '@listSize') name = 'listSize';
        else if (typeof entry === 'object' && entry.name === '@listSize') name = (entry.as ?? '@listSize').slice(1);
      }
    }
  }
  const hints = new Map<string, ListSizeHint>();
  for (const definition of document.definitions) {
    if (!('fields' in definition) || !definition.fields || definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields) {
      const directive = (field.directives as readonly ConstDirectiveNode[] | undefined)?.find((d) => d.name.value === name);
      if (!directive) continue;
      const args = Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
      const hint: ListSizeHint = {
        ...(typeof args.assumedSize === 'number' ? { assumedSize: Math.max(0, args.assumedSize) } : {}),
        ...(Array.isArray(args.slicingArguments) ? { slicingArguments: args.slicingArguments.map(String) } : {}),
        ...(Array.isArray(args.sizedFields) ? { sizedFields: args.sizedFields.map(String) } : {}),
      };
      hints.set(`${definition.name.value}.${field.name.value}`, hint);
    }
  }
  return hints;
}

/** What limits are checked against; `cost` depends on the variables when a list size comes from one. */
export interface OperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
  cost: Cost;
}

/** A list size: a literal, or a variable with the value to use when the request does not give a usable one. */
type Size = number | { variable: string; fallback: number };

/** A cost: a number, or `k + Σ size × cost` when some size comes from a variable (shared sub-sums stay shared). */
export type Cost = number | CostSum;
interface CostSum {
  k: number;
  terms: { size: Size; of: Cost }[];
  /** Evaluation memo, so a sub-sum shared by many fragment spreads is evaluated once per request. */
  pass?: number;
  value?: number;
}

/** A page's size and, when its hint names them, the lists inside it that the size applies to. */
interface Page {
  size: Size;
  fields?: ReadonlySet<string>;
}

interface Summary {
  depth: number;
  aliases: number;
  fields: number;
  cost: Cost;
}

const EMPTY: Summary = { depth: 0, aliases: 0, fields: 0, cost: 0 };
const SIZE_ARGUMENTS = new Set(['limit', 'first']);

/** 1 for the field itself plus `size` times its selection. */
function fieldCost(size: Size, selection: Cost): Cost {
  if (typeof size === 'number' && typeof selection === 'number') return 1 + size * selection;
  if (selection === 0) return 1;
  return { k: 1, terms: [{ size, of: selection }] };
}

function sizeValue(size: Size, variables: Record<string, unknown> | undefined): number {
  if (typeof size === 'number') return size;
  const value = variables?.[size.variable];
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.ceil(value)) : size.fallback;
}

let passes = 0;

/** The cost of an operation for the given variables; linear in the document, whatever the fragment nesting. */
export function evaluateCost(cost: Cost, variables?: Record<string, unknown>): number {
  if (typeof cost === 'number') return cost;
  const pass = ++passes;
  const evaluate = (c: Cost): number => {
    if (typeof c === 'number') return c;
    if (c.pass === pass) return c.value!;
    let total = c.k;
    for (const term of c.terms) total += sizeValue(term.size, variables) * evaluate(term.of);
    c.pass = pass;
    c.value = total;
    return total;
  };
  return evaluate(cost);
}

function fieldDefinition(parent: GraphQLNamedType | undefined, name: string, schema: GraphQLSchema): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
  }
  return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
}

/**
 * Measures one operation against a schema: depth, aliases and root fields are numbers, the cost may depend on variables.
 * Fragments are followed (memoised, so nesting cannot make this exponential); a fragment cycle, which validation
 * refuses anyway, is cut rather than followed forever. Fields inside `__schema`/`__type` count for aliases, root
 * fields and cost (their lists sized by `introspectionListSize`) but not for depth: graphql-js's own validation
 * (MaxIntrospectionDepthRule) bounds how deep introspection lists nest, and the standard introspection query is 15 deep.
 */
export function analyseOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  options: { defaultListSize?: number; introspectionListSize?: number; listSizes?: ListSizes } = {},
): OperationShape {
  const defaultListSize = options.defaultListSize ?? 20;
  const hints = options.listSizes;
  const introspectionListSize = options.introspectionListSize ?? 1;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const variableDefaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variableDefaults.set(definition.variable.name.value, valueFromASTUntyped(definition.defaultValue));
  }
  const memo = new Map<string, Summary>();
  const inProgress = new Set<string>();

  /**
   * A field's slicing argument (its hint's, else `limit`/`first`): given in the operation, else the argument's default,
   * else the hint's assumed size; the assumed size when it has no slicing argument; null when nothing says.
   */
  const sizeArgument = (field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined, hint: ListSizeHint | undefined): Size | null => {
    const slicing = hint?.slicingArguments ? new Set(hint.slicingArguments) : SIZE_ARGUMENTS;
    const given = field.arguments?.find((argument) => slicing.has(argument.name.value));
    const declared = definition?.args.find((argument) => (given ? argument.name === given.name.value : slicing.has(argument.name)));
    const fallback = typeof declared?.defaultValue === 'number' ? declared.defaultValue : (hint?.assumedSize ?? defaultListSize);
    if (!given) return declared ? fallback : (hint?.assumedSize ?? null);
    if (given.value.kind === Kind.INT) return Math.max(0, Number(given.value.value));
    if (given.value.kind === Kind.VARIABLE) {
      const variable = given.value.name.value;
      const operationDefault = variableDefaults.get(variable);
      return { variable, fallback: typeof operationDefault === 'number' ? Math.max(0, operationDefault) : fallback };
    }
    return fallback;
  };

  const sizeKey = (page: Page | null) => {
    if (page === null) return '-';
    const { size, fields } = page;
    return `${typeof size === 'number' ? String(size) : `$${size.variable}:${size.fallback}`}${fields ? `[${[...fields].join(',')}]` : ''}`;
  };

  /**
   * `page`: the size of a page field's `limit`, which applies to the lists directly inside it (its `items`), or only
   * to those its hint's `sizedFields` name.
   */
  const visit = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, page: Page | null, introspection: boolean): Summary => {
    let depth = 0;
    let aliases = 0;
    let fields = 0;
    let k = 0;
    const terms: CostSum['terms'] = [];
    const merge = (summary: Summary) => {
      depth = Math.max(depth, summary.depth);
      aliases += summary.aliases;
      fields += summary.fields;
      if (typeof summary.cost === 'number') k += summary.cost;
      else terms.push({ size: 1, of: summary.cost });
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const definition = fieldDefinition(parent, name, schema);
        const enteringIntrospection = introspection || name === '__schema' || name === '__type';
        const type = definition && getNullableType(definition.type);
        const list = type !== undefined && isListType(type);
        const hint = parent && hints?.get(`${parent.name}.${name}`);
        const size = sizeArgument(selection, definition, hint);
        const innerPage = list || size === null ? null : { size, fields: hint?.sizedFields ? new Set(hint.sizedFields) : undefined };
        const child = selection.selectionSet
          ? visit(selection.selectionSet, definition && getNamedType(definition.type), innerPage, enteringIntrospection)
          : EMPTY;
        const pageSize = page && (!page.fields || page.fields.has(name)) ? page.size : null;
        const listSize: Size = enteringIntrospection ? introspectionListSize : (size ?? pageSize ?? defaultListSize);
        merge({
          depth: enteringIntrospection ? 1 : 1 + child.depth,
          aliases: (selection.alias ? 1 : 0) + child.aliases,
          fields: 1,
          cost: fieldCost(list ? listSize : 1, child.cost),
        });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        merge(visit(selection.selectionSet, type, page, introspection));
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue;
        const key = `${fragment.name.value}|${sizeKey(page)}|${introspection ? 1 : 0}`;
        if (inProgress.has(key)) continue; // a cycle: validation refuses it; never follow it
        let summary = memo.get(key);
        if (!summary) {
          inProgress.add(key);
          summary = visit(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), page, introspection);
          inProgress.delete(key);
          memo.set(key, summary);
        }
        merge(summary);
      }
    }
    return { depth, aliases, fields, cost: terms.length ? { k, terms } : k };
  };

  const root = schema.getRootType(operation.operation) ?? undefined;
  const summary = visit(operation.selectionSet, root, null, false);
  return { depth: summary.depth, aliases: summary.aliases, rootFields: summary.fields, cost: summary.cost };
}

function exceeded(limit: OperationLimit, max: number, actual: number) {
  const shown = Math.min(actual, Number.MAX_SAFE_INTEGER);
  const what = { depth: 'is nested too deep', aliases: 'uses too many aliases', rootFields: 'has too many root fields', cost: 'costs too much' }[limit];
  return refusal(
    'OPERATION_LIMIT_EXCEEDED',
    `Operation ${what}: ${limit} ${shown} exceeds the maximum of ${max}`,
    400,
    { limit, max, actual: shown },
  );
}

/**
 * Refuses operations that are too deep, too wide or too expensive before any subgraph sees them (HTTP 400,
 * OPERATION_LIMIT_EXCEEDED with the limit, its maximum and the actual value). Each distinct operation is analysed once
 * per schema; a request then costs a map lookup, and an evaluation of the cost only when a list size is a variable.
 */
export function useOperationLimits(options: OperationLimitsOptions = {}): ApolloServerPlugin<GatewayContext> {
  const max = {
    depth: options.maxDepth ?? 12,
    aliases: options.maxAliases ?? 30,
    rootFields: options.maxRootFields ?? 15,
    cost: options.maxCost ?? 10_000,
  };
  const analysis = { defaultListSize: options.defaultListSize ?? 20, introspectionListSize: options.introspectionListSize ?? 1 };
  const cache = lruCache<string, { schema: GraphQLSchema; shape: OperationShape }>(options.cacheSize ?? 1000);

  const listener: GraphQLRequestListener<GatewayContext> = {
    async didResolveOperation({ schema, document, operation, queryHash, request }) {
      if (!operation) return; // Apollo Server reports the unknown operation name itself
      const key = `${queryHash}:${operation.name?.value ?? ''}`;
      let entry = cache.get(key);
      if (!entry || entry.schema !== schema) {
        entry = { schema, shape: analyseOperation(schema, document, operation, { ...analysis, listSizes: options.listSizes?.(schema) }) };
        cache.set(key, entry);
      }
      const { shape } = entry;
      if (shape.depth > max.depth) throw exceeded('depth', max.depth, shape.depth);
      if (shape.aliases > max.aliases) throw exceeded('aliases', max.aliases, shape.aliases);
      if (shape.rootFields > max.rootFields) throw exceeded('rootFields', max.rootFields, shape.rootFields);
      const cost = evaluateCost(shape.cost, request.variables);
      if (cost > max.cost) throw exceeded('cost', max.cost, cost);
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}

/** GATEWAY_OPERATION_LIMITS=off, GATEWAY_MAX_DEPTH, _ALIASES, _ROOT_FIELDS, _COST, GATEWAY_DEFAULT_LIST_SIZE. */
export function operationLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): OperationLimitsOptions | false {
  if (env.GATEWAY_OPERATION_LIMITS === 'off') return false;
  const limits: OperationLimitsOptions = {};
  const read = (name: string) => (env[name] ? intFromEnv(name, 0, env) : undefined);
  limits.maxDepth = read('GATEWAY_MAX_DEPTH');
  limits.maxAliases = read('GATEWAY_MAX_ALIASES');
  limits.maxRootFields = read('GATEWAY_MAX_ROOT_FIELDS');
  limits.maxCost = read('GATEWAY_MAX_COST');
  limits.defaultListSize = read('GATEWAY_DEFAULT_LIST_SIZE');
  return limits;
}
