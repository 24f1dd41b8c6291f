export * from './client.ts';
export * from './entities.ts';
export * from './events.ts';
export * from './licensing.ts';
export * from './methods.ts';
export * from './results.ts';
export * from './settings-merge.ts';
export * from './transport.ts';
