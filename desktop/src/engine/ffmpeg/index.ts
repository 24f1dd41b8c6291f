export * from './command.ts';
export * from './locate.ts';
export * from './run.ts';
