export * from './request-scope';
export * from './logger';
export * from './metrics';
export * from './http-observer';
export * from './graphql-metrics';
export * from './handoff-metrics';
export * from './tracing';
export * from './setup';
