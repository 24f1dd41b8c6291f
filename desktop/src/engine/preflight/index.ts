import { PLACEMENTS, type PlacementName, type Preflight } from '@vmp/shared';
import { readFacts } from './facts.ts';
import { type DrawnBox, judge } from './rules.ts';

export { type FileFacts, moovBeforeMdat, readFacts } from './facts.ts';
export { type DrawnBox, judge, MAX_FPS, MIN_FPS } from './rules.ts';

/** Checks a delivered file against its placement: probe, box order, ebur128, and the text boxes drawn. */
export async function preflight(
  file: string,
  placement: PlacementName,
  options: { boxes?: readonly DrawnBox[]; signal?: AbortSignal } = {},
): Promise<Preflight> {
  const facts = await readFacts(file, options.signal);
  return judge(facts, PLACEMENTS[placement], options.boxes);
}
