import { join } from 'node:path';
import { CaptionCue, Combination, MediaInfo, RenderSettings } from '@vmp/shared';
import { describeIssues, ValidationError } from '@vmp/shared/errors';
import { z } from 'zod';
import { normaliseFileName } from './naming.ts';

/**
 * The render spec: everything one output needs — its clips (with their captions), headline, settings (text styles,
 * watermark, canvas, fit, loudness, audio, strategy, seed) and final path — as plain, serialisable data. It is made
 * once, at planning (`renderSpecs`), and is the only input of every renderer: the local queue, `vmp mix`, the app
 * and a farm worker (which receives it over Redis). A new render option goes in here, so no path can miss it.
 */
export const RENDER_SPEC_VERSION = 1;

/** A source clip as the engine knows it. `hash` is the content hash (engine/hash); it keys the normalise cache. */
export const RenderSource = z.object({
  id: z.string().min(1),
  path: z.string().min(1),
  hash: z.string().min(1),
  info: MediaInfo,
  /** Captions burned in during their cues (seconds of this clip; parsed from clip.srt/clip.vtt by engine/text). */
  captions: z.array(CaptionCue).optional(),
});
export type RenderSource = z.infer<typeof RenderSource>;

export const RenderSpec = z.object({
  projectName: z.string(),
  /** Which clips, in play order, and the headline over each (`combination.headlines`). */
  combination: Combination,
  /** The clips named by `combination.clipIds` (extra entries are ignored). */
  sources: z.array(RenderSource),
  settings: RenderSettings,
  /** Target folder; created if missing. */
  outDir: z.string().min(1),
  /** Final file name, fixed at planning (`planFileNames`), so every retry and every worker writes the same file. */
  fileName: z.string().min(1),
  /** `creation_time` written into the file (ISO); default: the moment the render starts. */
  createdAt: z.iso.datetime().optional(),
});
export type RenderSpec = z.infer<typeof RenderSpec>;

/** Checks a spec that came from elsewhere (a farm job, a stored job): ValidationError naming the field. */
export function parseRenderSpec(value: unknown): RenderSpec {
  const parsed = RenderSpec.safeParse(value);
  if (!parsed.success) throw new ValidationError(`Not a render spec: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** The one place an output's final path is derived. */
export function finalPathOf(spec: Pick<RenderSpec, 'outDir' | 'fileName'>): string {
  return join(spec.outDir, normaliseFileName(spec.fileName));
}

export interface SpecPlan {
  projectName: string;
  combinations: readonly Combination[];
  /** One per combination, from `planFileNames` / `planOutputs`. */
  fileNames: readonly string[];
  /** Every clip the combinations use (others are left out of each spec). */
  sources: readonly RenderSource[];
  settings: RenderSettings;
  outDir: string;
  createdAt?: string;
}

/** The render specs of a plan, in its order: each carries only the sources it plays. */
export function renderSpecs(plan: SpecPlan): RenderSpec[] {
  // one spec per output; sources narrowed to the clips it plays, so a farm job carries no more than it needs
  const byId = new Map(plan.sources.map((s) => [s.id, s]));
  return plan.combinations.map((combination, k) => {
    const fileName = plan.fileNames[k];
    if (!fileName) throw new ValidationError(`Output ${combination.index + 1} has no planned file name.`);
    const sources = [...new Set(combination.clipIds)].flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    return {
      projectName: plan.projectName,
      combination,
      sources,
      settings: plan.settings,
      outDir: plan.outDir,
      fileName,
      ...(plan.createdAt ? { createdAt: plan.createdAt } : {}),
    };
  });
}
