export * from './dist/gateway';
