/**
 * What the gateway needs of the platform, without what only subgraphs need (TypeORM, type-graphql, the handoff node):
 * `require('@onestop/platform/gateway')` costs a fraction of the memory of the whole package.
 */
export * from './identifiers';
export * from './errors';
export * from './scalar-input';
export * from './config';
export * from './lru';
export * from './http';
export * from './auth/identity';
export * from './auth/access';
export * from './auth/gateway-token';
export * from './auth/jwt';
export * from './auth/setup';
export * from './auth/use-access-denial-log';
export * from './observability';
export * from './handoffs/transport';
export { transportFromEnv, describeTransport } from './handoffs/setup';
export { kafkaSecurityFromEnv } from './handoffs/kafka-security';
export { notificationTopic, topicFor } from './handoffs/contracts';
