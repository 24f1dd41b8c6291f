export * from './errors.ts';
export * from './manifest.ts';
export * from './naming.ts';
export * from './renderer.ts';
export * from './types.ts';
