import { GraphQLDateTimeISO } from 'graphql-scalars';
import {
  ArgumentNode, ASTVisitor, getNamedType, GraphQLError, GraphQLInputType, GraphQLScalarType, GraphQLSchema, isScalarType, Kind,
  ObjectFieldNode, ValidationContext, ValueNode,
} from 'graphql';

/**
 * The subgraphs' own scalars that the gateway's schema only knows by name (a supergraph's custom scalars accept any
 * value there): the gateway checks them with the subgraphs' implementation, so a malformed value is the caller's
 * BAD_USER_INPUT naming the argument, not a subgraph's refusal of the whole fetch.
 */
const CHECKED: ReadonlyMap<string, GraphQLScalarType> = new Map([[GraphQLDateTimeISO.name, GraphQLDateTimeISO]]);

function problem(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Variables of a checked scalar are parsed as the subgraph would (the value itself is passed on unchanged). */
export function checkScalarVariables(schema: GraphQLSchema): void {
  for (const [name, real] of CHECKED) {
    const type = schema.getType(name);
    if (!isScalarType(type) || type === real) continue;
    type.parseValue = (value: unknown) => {
      const reason = problem(() => real.parseValue(value));
      if (reason) throw new GraphQLError(reason, { extensions: { code: 'BAD_USER_INPUT', reason } });
      return value;
    };
  }
}

/**
 * A validation rule: literals of a checked scalar, as arguments or input fields, are parsed as the subgraph would;
 * a malformed one is reported as BAD_USER_INPUT naming the argument or field (formatError keeps that code).
 */
export function scalarLiteralsRule(context: ValidationContext): ASTVisitor {
  const check = (node: ArgumentNode | ObjectFieldNode, type: GraphQLInputType | null | undefined) => {
    const real = type ? CHECKED.get(getNamedType(type).name) : undefined;
    if (!real) return;
    const values: ValueNode[] = node.value.kind === Kind.LIST ? [...node.value.values] : [node.value];
    for (const value of values) {
      if (value.kind === Kind.VARIABLE || value.kind === Kind.NULL) continue;
      const reason = problem(() => real.parseLiteral(value, undefined));
      if (!reason) continue;
      const field = node.name.value;
      context.reportError(new GraphQLError(`Invalid ${field}: ${reason}`, { nodes: value, extensions: { code: 'BAD_USER_INPUT', field, reason } }));
    }
  };
  return {
    Argument: (node) => check(node, context.getArgument()?.type),
    ObjectField: (node) => check(node, context.getInputType()),
  };
}
