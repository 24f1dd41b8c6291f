import { createRng, type Rng } from '../engine/plan/prng.ts';
import { MIN_IMPRESSIONS } from './compute.ts';
import { sampleBeta } from './sampling.ts';
import { wilson } from './stats.ts';

/** One factor of the next batch (a group's clips, or a group's headlines), in the order codes join in an adName. */
export interface BatchFactor {
  name: string;
  /** `key` is what rules and the plan name (clip id or path, headline id); `code` is its component code. */
  options: ReadonlyArray<{ key: string; code: string }>;
}

export interface NextBatchInput {
  factors: readonly BatchFactor[];
  /** Clicks and impressions per component code (absent: no data). */
  stats: ReadonlyMap<string, { clicks: number; impressions: number }>;
  /** adNames already run: never planned again. */
  ran: ReadonlySet<string>;
  count: number;
  seed: number;
  /** Share of the batch that goes to components without enough data first (default 0.2). */
  exploration?: number;
  /** Never-together rules by option key. */
  rules?: ReadonlyArray<{ a: string; b: string }>;
  minImpressions?: number;
}

export interface NextBatch {
  /** Chosen combinations: one option index per factor, their codes and the adName they make. */
  combinations: Array<{ picks: number[]; codes: string[]; adName: string }>;
  /** One line per component: kept / dropped / explored, with its CTR and interval. */
  explain: string[];
  /** Combinations never run (rules respected) when that could be counted; null for a space too big to walk. */
  untried: number | null;
}

/** Pseudo-impressions of the prior around the group's pooled CTR: a component without data is not assumed great. */
const PRIOR_WEIGHT = 200;
const MAX_STEPS = 200_000;
const MAX_ENUMERATED = 200_000;

const pct = (x: number) => (x * 100).toFixed(1);

/**
 * Plans the next batch from results: Thompson sampling (each component's CTR drawn from its Beta posterior, the best
 * draw per factor first) for most outputs, and `exploration` of them led by components without enough data. Only
 * combinations never run and allowed by the rules; at most `count`; same input and seed, same batch.
 */
export function planNextBatch(input: NextBatchInput): NextBatch {
  const { factors, stats, ran, count, seed } = input;
  const minImpressions = input.minImpressions ?? MIN_IMPRESSIONS;
  const exploration = Math.min(1, Math.max(0, input.exploration ?? 0.2));
  const rng = createRng(seed);
  const enough = (code: string) => (stats.get(code)?.impressions ?? 0) >= minImpressions;
  const conflicts = new Map<string, Set<string>>();
  for (const { a, b } of input.rules ?? []) {
    if (!conflicts.has(a)) conflicts.set(a, new Set());
    if (!conflicts.has(b)) conflicts.set(b, new Set());
    conflicts.get(a)!.add(b);
    conflicts.get(b)!.add(a);
  }
  // Prior per factor: mean = the factor's pooled CTR (else everyone's, else 1 %), weight PRIOR_WEIGHT impressions.
  const pooled = (codes: string[]) => {
    let c = 0;
    let n = 0;
    for (const code of codes) {
      c += stats.get(code)?.clicks ?? 0;
      n += stats.get(code)?.impressions ?? 0;
    }
    return n > 0 ? c / n : null;
  };
  const everyone = pooled(factors.flatMap((f) => f.options.map((o) => o.code))) ?? 0.01;
  const priors = factors.map((f) => pooled(f.options.map((o) => o.code)) ?? everyone);

  const chosen = new Set<string>();
  const combinations: NextBatch['combinations'] = [];
  const anyThin = factors.some((f) => f.options.some((o) => !enough(o.code)));
  for (let i = 0; i < count; i++) {
    const explore = anyThin && Math.floor((i + 1) * exploration) > Math.floor(i * exploration);
    const orders = factors.map((f, fi) => optionOrder(rng, f, priors[fi]!, stats, explore ? enough : null));
    const picks = search(factors, orders, conflicts, (codes) => {
      const name = codes.join('-');
      return !ran.has(name) && !chosen.has(name);
    });
    if (!picks) break;
    const codes = picks.map((p, fi) => factors[fi]!.options[p]!.code);
    const adName = codes.join('-');
    chosen.add(adName);
    combinations.push({ picks, codes, adName });
  }
  return {
    combinations,
    explain: explainBatch(factors, stats, combinations, enough),
    untried: countUntried(input, conflicts),
  };
}

/** Option indices of a factor, best first: Thompson draws; when exploring, components without enough data lead. */
function optionOrder(
  rng: Rng,
  factor: BatchFactor,
  prior: number,
  stats: NextBatchInput['stats'],
  exploreBy: ((code: string) => boolean) | null,
): number[] {
  const draws = factor.options.map((o) => {
    const s = stats.get(o.code) ?? { clicks: 0, impressions: 0 };
    const a = prior * PRIOR_WEIGHT + s.clicks;
    const b = (1 - prior) * PRIOR_WEIGHT + Math.max(0, s.impressions - s.clicks);
    return sampleBeta(rng, Math.max(a, 1e-3), Math.max(b, 1e-3));
  });
  const order = factor.options.map((_, i) => i).sort((x, y) => draws[y]! - draws[x]!);
  if (!exploreBy) return order;
  const thin = rng.shuffled(order.filter((i) => !exploreBy(factor.options[i]!.code)));
  return [...thin, ...order.filter((i) => exploreBy(factor.options[i]!.code))];
}

/** First allowed combination in the factors' orders (depth first: best of the first factor, then the next…). */
function search(
  factors: readonly BatchFactor[],
  orders: number[][],
  conflicts: ReadonlyMap<string, ReadonlySet<string>>,
  accept: (codes: string[]) => boolean,
): number[] | null {
  let steps = 0;
  const picks: number[] = [];
  const walk = (fi: number): boolean => {
    if (++steps > MAX_STEPS) return false;
    if (fi === factors.length) return accept(picks.map((p, i) => factors[i]!.options[p]!.code));
    for (const p of orders[fi]!) {
      const key = factors[fi]!.options[p]!.key;
      const clash = conflicts.get(key);
      if (clash && picks.some((q, i) => clash.has(factors[i]!.options[q]!.key))) continue;
      picks.push(p);
      if (walk(fi + 1)) return true;
      picks.pop();
    }
    return false;
  };
  return walk(0) ? picks : null;
}

function explainBatch(
  factors: readonly BatchFactor[],
  stats: NextBatchInput['stats'],
  combinations: NextBatch['combinations'],
  enough: (code: string) => boolean,
): string[] {
  const uses = new Map<string, number>();
  for (const c of combinations) for (const code of c.codes) uses.set(code, (uses.get(code) ?? 0) + 1);
  const lines: string[] = [];
  for (const f of factors) {
    for (const o of f.options) {
      const s = stats.get(o.code);
      const n = uses.get(o.code) ?? 0;
      if (!s || !enough(o.code)) {
        lines.push(
          `${o.code} ${n ? 'explored' : 'waiting'}: not enough data (${s?.impressions ?? 0} impressions)${n ? `, in ${n}` : ''}`,
        );
        continue;
      }
      const [lo, hi] = wilson(s.clicks, s.impressions);
      lines.push(
        `${o.code} ${n ? 'kept' : 'dropped'}: CTR ${pct(s.clicks / s.impressions)} % [${pct(lo)}–${pct(hi)}]${n ? `, in ${n}` : ''}`,
      );
    }
  }
  return lines;
}

function countUntried(input: NextBatchInput, conflicts: ReadonlyMap<string, ReadonlySet<string>>): number | null {
  const size = input.factors.reduce((p, f) => p * f.options.length, 1);
  if (size > MAX_ENUMERATED) return null;
  let untried = 0;
  const picks: Array<{ key: string; code: string }> = [];
  const walk = (fi: number): void => {
    if (fi === input.factors.length) {
      if (!input.ran.has(picks.map((p) => p.code).join('-'))) untried++;
      return;
    }
    for (const o of input.factors[fi]!.options) {
      const clash = conflicts.get(o.key);
      if (clash && picks.some((p) => clash.has(p.key))) continue;
      picks.push(o);
      walk(fi + 1);
      picks.pop();
    }
  };
  walk(0);
  return untried;
}
