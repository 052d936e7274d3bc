export * from './sniff';
export * from './store';
export * from './signing';
