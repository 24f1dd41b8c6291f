export * from './core.ts';
export * from './dispatch.ts';
export * from './engine-port.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './lock.ts';
export * from './paths.ts';
export * from './platform.ts';
