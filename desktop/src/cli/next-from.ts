import type { RenderSettings } from '@vmp/shared';
import type { CodeBook } from '../engine/codes/index.ts';
import type { PlanInput } from '../engine/plan/planner.ts';
import { planNextMix } from '../results/next-mix.ts';
import { parseMapping } from '../results/report.ts';
import { type CliIo, UsageError } from './command.ts';

/** `vmp mix --next-from <csv>… --manifest <file> [--map k=v]…`, checked. */
export function nextFromOptions(
  nextFrom: string[] | undefined,
  manifest: string | undefined,
  map: string[] | undefined,
): { nextFrom?: string[]; manifest?: string; map?: string[] } {
  if (!nextFrom?.length) {
    if (map?.length) throw new UsageError('--map goes with --next-from (or vmp results).');
    return manifest ? { manifest } : {};
  }
  if (!manifest) throw new UsageError('--next-from needs --manifest <manifest.json> of the batch the report is about.');
  try {
    parseMapping(map ?? []);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { nextFrom, manifest, ...(map?.length ? { map } : {}) };
}

/** The next batch's plan (results/next-mix.ts), with its explanation printed before anything renders. */
export async function nextBatchPlan(
  options: { nextFrom?: string[]; manifest?: string; map?: string[]; count?: number },
  input: PlanInput,
  codes: CodeBook,
  naming: { projectName: string; settings: RenderSettings; sourcePaths: ReadonlyMap<string, string> },
  io: CliIo,
) {
  if (input.mode !== 'manual') {
    throw new UsageError('--next-from needs a folder of group folders (hooks, bodies…): results are per component.');
  }
  const next = await planNextMix({
    input,
    book: codes,
    manifest: options.manifest!,
    reports: options.nextFrom!,
    mapping: parseMapping(options.map ?? []),
    ...(options.count === undefined ? {} : { count: options.count }),
    naming,
  });
  for (const line of next.explain) io.stderr.write(`${line}\n`);
  return next;
}
