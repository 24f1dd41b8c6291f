import { DEFAULT_COUNT_CAP } from '@vmp/shared';
import type { Clip, ProjectDetail } from '@vmp/shared/api';
import { glyphWarnings } from '../engine/text/coverage.ts';
import type { PlanInput } from './engine-port.ts';

function planClip(clip: Clip) {
  return { id: clip.id, duration: clip.info?.duration ?? 0, valid: clip.status === 'ok' };
}

/** The planner's input for a project as it stands, and what the user should know about it. */
export function planInputFor(detail: ProjectDetail): { input: PlanInput; warnings: string[] } {
  const { project, clips, groups, rules } = detail;
  const byId = new Map(clips.map((c) => [c.id, c]));
  const settings = project.settings;
  const common = {
    seed: settings.seed,
    rules: rules.map((r) => ({ a: r.clipA, b: r.clipB })),
    ...(settings.count !== undefined ? { count: settings.count } : {}),
  };
  const used =
    project.mode === 'manual'
      ? [...new Set(groups.flatMap((g) => g.clipIds))].map((id) => byId.get(id)).filter((c): c is Clip => !!c)
      : clips;
  const warnings: string[] = [];
  const unusable = used.filter((c) => c.status !== 'ok');
  if (unusable.length > 0) {
    const names = unusable
      .slice(0, 3)
      .map((c) => `"${c.name}" (${c.status})`)
      .join(', ');
    warnings.push(
      `${unusable.length} clip${unusable.length === 1 ? '' : 's'} left out: ${names}${unusable.length > 3 ? ', …' : ''}. Fix, relink or remove ${unusable.length === 1 ? 'it' : 'them'}.`,
    );
  }
  // Text the bundled fonts cannot draw (an empty box in every output): said before anything renders.
  const usedGroups = project.mode === 'manual' ? groups : [];
  warnings.push(
    ...glyphWarnings([
      ...usedGroups.flatMap((g) => (g.headlines ?? []).map((text) => ({ where: `Headline of "${g.name}"`, text }))),
      ...used.flatMap((c) => (c.captions ?? []).map((cue) => ({ where: `Caption of "${c.name}"`, text: cue.text }))),
    ]),
  );
  const input: PlanInput =
    project.mode === 'manual'
      ? {
          mode: 'manual',
          ...common,
          groups: groups.map((g) => ({
            name: g.name,
            ...(g.headlines?.length ? { headlines: g.headlines.map((text, i) => ({ id: `${g.id}#${i}`, text })) } : {}),
            clips: g.clipIds
              .map((id) => byId.get(id))
              .filter((c): c is Clip => !!c)
              .map(planClip),
          })),
        }
      : { mode: 'auto', ...common, clips: clips.map(planClip), clipsPerOutput: settings.clipsPerOutput };
  return { input, warnings };
}

/** Warnings that depend on the plan's result: capped default count, fewer combinations than asked for. */
export function countWarnings(requested: number | undefined, possible: number, count: number): string[] {
  if (requested === undefined && possible > DEFAULT_COUNT_CAP && count === DEFAULT_COUNT_CAP) {
    return [
      `${possible.toLocaleString('en-US')} combinations are possible; ${DEFAULT_COUNT_CAP} are planned. Set a count to render more.`,
    ];
  }
  if (requested !== undefined && count < requested) {
    return [`Only ${count} distinct combinations exist, fewer than the ${requested} asked for.`];
  }
  return [];
}
