export * from './errors.ts';
export * from './media.ts';
