import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Validation } from './identifiers';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function isInputType(constructor: Function): boolean {
  // only a subgraph's validation errors get here: the gateway never loads type-graphql
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getMetadataStorage } = require('type-graphql') as typeof import('type-graphql');
  return getMetadataStorage().inputTypes.some((type) => type.target === constructor);
}

/** Codes a client may branch on. Anything else is masked outside development. */
export const PUBLIC_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'SUBGRAPH_TIMEOUT',
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_ERROR',
  // document uploads (platform/src/documents)
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  // the gateway's operation limits (gateway/src/plugins)
  'OPERATION_LIMIT_EXCEEDED',
  'RATE_LIMITED',
  'INTROSPECTION_DISABLED',
  'PERSISTED_OPERATION_NOT_ALLOWED',
]);

/** Bad input, naming the offending field (path in the arguments) and why. */
export class BadUserInputError extends GraphQLError {
  constructor(field: string, reason: string) {
    super(`Invalid ${field}: ${reason}`, { extensions: { code: 'BAD_USER_INPUT', field, reason } });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(type: string, key: string) {
    super(`${type} ${key} not found`, { extensions: { code: 'NOT_FOUND', type, key } });
  }
}

export class ConflictError extends GraphQLError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code: 'CONFLICT', ...extensions } });
  }
}

/** Returns the value of a validation, or throws BAD_USER_INPUT for the field. */
export function required<T>(result: Validation<T>, field: string): T {
  if (!result.ok) throw new BadUserInputError(field, result.reason);
  return result.value;
}

export function isDevelopment(): boolean {
  return process.env.NODE_ENV === 'development';
}

interface ValidationErrorLike {
  property: string;
  target?: object;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

function flattenValidation(errors: ValidationErrorLike[], prefix = ''): { field: string; reason: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flattenValidation(error.children ?? [], field)];
  });
}

/**
 * Apollo Server formatError: class-validator failures become BAD_USER_INPUT with field and reason;
 * errors without a public code are masked outside development, and stack traces never leave.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  // type-graphql's ArgumentValidationError carries them in extensions (with the whole input as `target`: never sent).
  const original = unwrapResolverError(error) as { extensions?: { validationErrors?: unknown } } | undefined;
  const validationErrors = formatted.extensions?.validationErrors ?? original?.extensions?.validationErrors;
  if (Array.isArray(validationErrors)) {
    // Input objects are always passed as the argument `input` (our convention), so their fields read `input.x`,
    // as the resolvers' own checks name them; @Args classes are top-level arguments and keep their bare names.
    const list = validationErrors as ValidationErrorLike[];
    const inInputObject = list.some((e) => e.target && isInputType(e.target.constructor));
    const problems = flattenValidation(list, inInputObject ? 'input' : '');
    const first = problems[0] ?? { field: 'input', reason: 'invalid' };
    return {
      message: problems.map((p) => `Invalid ${p.field}: ${p.reason}`).join('; '),
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', field: first.field, reason: first.reason, problems },
    };
  }
  // A validation rule's BAD_USER_INPUT (scalarLiteralsRule) keeps its code: Apollo Server reports every validation error
  // as GRAPHQL_VALIDATION_FAILED, with the rule's error as the original.
  const cause = (error as { originalError?: unknown } | undefined)?.originalError;
  if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && cause instanceof GraphQLError && cause.extensions?.code === 'BAD_USER_INPUT') {
    const { field, reason } = cause.extensions;
    return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT', field, reason } };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (isDevelopment() || (code && PUBLIC_ERROR_CODES.has(code))) {
    if (isDevelopment()) return formatted;
    const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'production';
}
