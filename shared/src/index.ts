export * from './errors.ts';
export * from './http/index.ts';
export * from './media.ts';
export * from './placements.ts';
