export * from './content-key.ts';
