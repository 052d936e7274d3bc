export * from './identity';
export * from './access';
export * from './gateway-token';
export * from './jwt';
export * from './setup';
export * from './personal-data';
export * from './use-access-denial-log';
export * from './pseudonym';
