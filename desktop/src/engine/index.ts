// The engine's public surface: a plain list of re-exports so several people can append lines without conflicts.
export * from './errors.ts';
export * from './ffmpeg/index.ts';
export * from './hash/index.ts';
export * from './mix.ts';
export * from './plan/index.ts';
export * from './plan-outputs.ts';
export * from './pool/index.ts';
export * from './probe/index.ts';
export * from './profiles/index.ts';
export * from './render/index.ts';
export * from './thumbnails/index.ts';
export * from './validate/index.ts';
