export * from './errors.ts';
export * from './media.ts';
export * from './http/index.ts';
