export * from './backoff.ts';
export * from './queue.ts';
export * from './spec.ts';
export * from './throttle.ts';
