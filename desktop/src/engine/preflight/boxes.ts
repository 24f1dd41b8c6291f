import { safeZoneFor } from '@vmp/shared';
import { normalisePlan } from '../render/normalise-args.ts';
import { prepare } from '../render/prepare.ts';
import type { OutputSpec } from '../render/types.ts';
import { clipEvents, type TextEvent } from '../text/ass.ts';
import { layoutText } from '../text/layout.ts';
import type { DrawnBox } from './rules.ts';

/**
 * The boxes the engine draws text in for this output: the same layout the ASS script is written from (one per
 * distinct piece of text and place), so the pre-flight can check them without reading pixels.
 */
export function drawnBoxes(spec: OutputSpec): DrawnBox[] {
  const item = prepare(spec);
  const events: TextEvent[] = [];
  let offset = 0;
  let first: NonNullable<(typeof item.texts)[number]> | undefined;
  item.clips.forEach((clip, k) => {
    const duration = normalisePlan(clip.info, item.profile).frames / item.profile.fps;
    const text = item.texts[k];
    if (text) {
      first ??= text;
      events.push(...clipEvents(text, duration, offset));
    }
    offset += duration;
  });
  if (!first) return [];
  const blocks = layoutText({
    canvas: item.profile,
    zone: first.zone ?? safeZoneFor(spec.combination.placement, item.profile.format),
    captionStyle: first.captionStyle,
    headlineStyle: first.headlineStyle,
    events,
  });
  const seen = new Set<string>();
  const out: DrawnBox[] = [];
  for (const b of blocks) {
    const key = JSON.stringify([b.kind, b.text, b.box]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind: b.kind, text: b.text, box: b.box });
  }
  return out;
}
