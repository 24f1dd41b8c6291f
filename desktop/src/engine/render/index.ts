export * from './errors.ts';
export * from './manifest.ts';
export * from './naming.ts';
export * from './renderer.ts';
export * from './spec.ts';
export * from './strategy/index.ts';
export * from './types.ts';
