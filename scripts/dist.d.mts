// Types for scripts/dist.mjs (plain ESM so `node scripts/dist.mjs` runs without a TypeScript loader).
export declare const BUILDER_OS: Record<'darwin' | 'win32' | 'linux', 'mac' | 'win' | 'linux'>;
export declare function ffmpegStageDir(platform: string, arch: string, base?: string): string;
export declare function ffmpegSources(
  platform: string,
  arch: string,
): { binaryArch: string; emulated: boolean; ffmpeg: 'ffmpeg-static'; ffprobe: 'ffprobe-static' | 'ffmpeg-static' };
export declare function stageFromFolder(folder: string, platform: string, dest: string): void;
export declare function stageFfmpeg(
  platform: string,
  arch: string,
  options?: { env?: NodeJS.ProcessEnv; dest?: string },
): { dest: string; from: string };
export type PublishConfig = { provider: 'generic'; url: string } | { provider: 'github'; owner: string; repo: string };
export declare function updatePublishConfig(env?: NodeJS.ProcessEnv): PublishConfig | null;
export declare function configOverrides(env?: NodeJS.ProcessEnv): {
  npmRebuild: boolean;
  publish: PublishConfig | null;
  electronDist?: string;
};
export declare function configuredArchs(platform: string, config: Record<string, unknown>): string[];
export declare function parseTargets(
  argv: string[],
  fileConfig: Record<string, unknown>,
): { options: Record<string, unknown>; pairs: Array<{ platform: string; arch: string }> };
export declare function loadBuilderConfig(): Record<string, unknown>;
export declare const FONTS_STAGE: string;
export declare function stageFonts(dest?: string): string[];
