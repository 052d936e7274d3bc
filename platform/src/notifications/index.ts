export * from './delivery';
export * from './notifier';
export * from './sender';
