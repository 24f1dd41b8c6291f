export * from './client.ts';
export * from './fingerprint.ts';
export * from './lease.ts';
export * from './store.ts';
export * from './sync-client.ts';
export * from './usage-ledger.ts';
