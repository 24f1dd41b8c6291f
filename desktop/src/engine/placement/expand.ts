import { type Combination, PLACEMENTS, type PlacementName, type RenderSettings, safeZoneFor } from '@vmp/shared';
import { assertHeadlineFits } from '../text/layout.ts';

/** The settings one output is rendered with: its placement's canvas and frame rate, or the plain format. */
export function placementSettings(settings: RenderSettings, placement: PlacementName | undefined): RenderSettings {
  if (!placement) return settings;
  const p = PLACEMENTS[placement];
  return { ...settings, format: p.format, fps: p.fps };
}

/** A combination left out of one placement because it runs longer than that placement plays. */
export interface PlacementSkip {
  /** Index of the planned combination (its ad). */
  ad: number;
  placement: PlacementName;
  duration: number;
  limit: number;
  message: string;
}

/**
 * Each planned combination once per placement, re-indexed 0…n−1 in combination-major order (an ad's placements side
 * by side), each carrying its `placement` and its `ad` (the planned index). A combination longer than a placement
 * allows is skipped for that placement with a warning naming it, never cut. Headlines are checked against every
 * chosen placement's zone first: one that cannot fit throws TextDoesNotFitError before anything renders.
 */
export function expandPlacements(
  combinations: readonly Combination[],
  settings: RenderSettings,
  durationOf: (combination: Combination) => number,
  label: (combination: Combination) => string = (c) => `Output ${c.index + 1}`,
): { combinations: Combination[]; skipped: PlacementSkip[] } {
  const placements = settings.placements;
  if (placements.length === 0) return { combinations: [...combinations], skipped: [] };
  const headlines = new Set(combinations.flatMap((c) => (c.headlines ?? []).filter((h): h is string => !!h)));
  for (const name of placements) {
    const p = PLACEMENTS[name];
    const canvas = { format: p.format, width: p.width, height: p.height };
    for (const text of headlines) {
      assertHeadlineFits(text, settings.headlineStyle, canvas, safeZoneFor(name, p.format), p.label);
    }
  }
  const out: Combination[] = [];
  const skipped: PlacementSkip[] = [];
  for (const c of combinations) {
    const duration = durationOf(c);
    for (const name of placements) {
      const limit = PLACEMENTS[name].maxDuration;
      if (duration > limit) {
        skipped.push({
          ad: c.index,
          placement: name,
          duration,
          limit,
          message: `${label(c)} runs ${duration.toFixed(1)} s; ${PLACEMENTS[name].label} plays at most ${limit} s, so it is not made for ${name}.`,
        });
        continue;
      }
      out.push({ ...c, index: out.length, placement: name, ad: c.index });
    }
  }
  return { combinations: out, skipped };
}
