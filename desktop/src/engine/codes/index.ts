export * from './ad.ts';
export * from './ascii-name.ts';
export * from './assign.ts';
export * from './prefix.ts';
