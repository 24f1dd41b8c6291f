import { type Combination, creditCost, DEFAULT_COUNT_CAP, type MixMode, type PlanSummary } from '@vmp/shared';
import { ValidationError } from '@vmp/shared/errors';
import { binomial, lcm, permutations, product, toApproxNumber } from './combinatorics.ts';
import { createRng, type Rng } from './prng.ts';

export interface PlanClip {
  id: string;
  /** Seconds; used for the plan's total duration. */
  duration: number;
  /** false: the clip has problems and is left out. Default true. */
  valid?: boolean;
}

/** One headline variant of a group: `id` is what rules name (e.g. "hooks/headlines.txt:2"). */
export interface PlanHeadline {
  id: string;
  text: string;
}

export interface PlanGroup {
  name: string;
  clips: readonly PlanClip[];
  /**
   * Headline variants shown over this group's clip: one more factor of the plan (each output takes one), spread,
   * seeded, counted and ruled like clips.
   */
  headlines?: readonly PlanHeadline[];
}

/** "Clip a never appears with clip b" (order does not matter). */
export interface ClipRule {
  a: string;
  b: string;
}

interface PlanCommon {
  /** Outputs wanted; default every combination, capped at `countCap`. */
  count?: number;
  seed?: number;
  rules?: readonly ClipRule[];
  /** Cap for the default count (DEFAULT_COUNT_CAP). */
  countCap?: number;
}

/** Ordered groups; each output takes one clip from each group, in group order. */
export interface ManualPlanInput extends PlanCommon {
  mode: 'manual';
  groups: readonly PlanGroup[];
}

/** One pool; each output is K distinct clips in some order. */
export interface AutoPlanInput extends PlanCommon {
  mode: 'auto';
  clips: readonly PlanClip[];
  clipsPerOutput: number;
}

export type PlanInput = ManualPlanInput | AutoPlanInput;

/** How many distinct outputs exist. `exact` is false only with many rules over a huge space (see countPossible). */
export interface PossibleCount {
  value: bigint;
  exact: boolean;
}

export interface Plan {
  mode: MixMode;
  possible: PossibleCount;
  count: number;
  seed: number;
  combinations: Combination[];
}

// Rule-aware exact counting: inclusion–exclusion costs 2^rules, enumeration costs the size of the space.
// Beyond both limits we estimate (rules treated as independent) and say so via `exact: false`.
const MAX_EXACT_RULES = 16;
const MAX_ENUMERATED = 2_000_000;
/** Candidates examined when rules filter a huge space before we give up looking for more. */
const MAX_SCANNED = 5_000_000;

interface ManualSpace {
  kind: 'manual';
  /** The groups' clips first (one column per group, in order), then one column per group with headlines. */
  columns: PlanClip[][];
  /** How many leading columns hold clips. */
  clipColumns: number;
  /** Headline columns: which group (= clip position) each one labels, and the texts by id. */
  headlineColumns: Array<{ column: number; group: number }>;
  headlineText: Map<string, string>;
  /** Per column, per clip index: the [column, index] pairs it may not meet. */
  conflicts: Array<Array<Array<[number, number]>>>;
  ruleCount: number;
  /** Rules as [colA, idxA, colB, idxB]. */
  rules: Array<[number, number, number, number]>;
}

interface AutoSpace {
  kind: 'auto';
  pool: PlanClip[];
  k: number;
  conflicts: Array<Set<number>>;
  rules: Array<[number, number]>;
}

type Space = ManualSpace | AutoSpace;

function usable(clips: readonly PlanClip[]): PlanClip[] {
  return clips.filter((c) => c.valid !== false);
}

function prepare(input: PlanInput): Space {
  if (input.mode === 'manual') {
    if (input.groups.length === 0) throw new ValidationError('Add at least one group of clips to mix.');
    const columns = input.groups.map((group) => {
      if (group.clips.length === 0) {
        throw new ValidationError(`Group "${group.name}" is empty: add at least one clip or remove the group.`, {
          group: group.name,
        });
      }
      const good = usable(group.clips);
      if (good.length === 0) {
        throw new ValidationError(
          `Group "${group.name}" has no usable clips (${group.clips.length} with problems): fix or replace them.`,
          { group: group.name },
        );
      }
      return good;
    });
    const clipColumns = columns.length;
    const headlineColumns: Array<{ column: number; group: number }> = [];
    const headlineText = new Map<string, string>();
    // Headlines are one more factor: a column of pseudo-clips (duration 0), so the walk, counting and rules treat
    // them exactly like clips. Appended after the clip columns, so plans without headlines do not change.
    input.groups.forEach((group, g) => {
      if (!group.headlines?.length) return;
      headlineColumns.push({ column: columns.length, group: g });
      columns.push(group.headlines.map((h) => ({ id: h.id, duration: 0 })));
      for (const h of group.headlines) headlineText.set(h.id, h.text);
    });
    const where = new Map<string, Array<[number, number]>>();
    columns.forEach((clips, col) => {
      clips.forEach((clip, idx) => {
        where.set(clip.id, [...(where.get(clip.id) ?? []), [col, idx]]);
      });
    });
    const conflicts = columns.map((clips) => clips.map((): Array<[number, number]> => []));
    const rules: Array<[number, number, number, number]> = [];
    const seen = new Set<string>();
    for (const rule of input.rules ?? []) {
      for (const [ca, ia] of where.get(rule.a) ?? []) {
        for (const [cb, ib] of where.get(rule.b) ?? []) {
          // Clips of one group never meet anyway: such a rule changes nothing.
          if (ca === cb) continue;
          const key = ca < cb ? `${ca}:${ia}:${cb}:${ib}` : `${cb}:${ib}:${ca}:${ia}`;
          if (seen.has(key)) continue;
          seen.add(key);
          rules.push([ca, ia, cb, ib]);
          conflicts[ca]![ia]!.push([cb, ib]);
          conflicts[cb]![ib]!.push([ca, ia]);
        }
      }
    }
    return {
      kind: 'manual',
      columns,
      clipColumns,
      headlineColumns,
      headlineText,
      conflicts,
      rules,
      ruleCount: rules.length,
    };
  }
  const k = input.clipsPerOutput;
  if (!Number.isInteger(k) || k < 1) {
    throw new ValidationError(`Clips per output must be a whole number of at least 1 (got ${k}).`, {
      field: 'clipsPerOutput',
    });
  }
  const pool = usable(input.clips);
  if (input.clips.length === 0) throw new ValidationError('The clip pool is empty: add clips to mix.');
  if (pool.length < k) {
    throw new ValidationError(
      `Auto mode with ${k} clips per output needs at least ${k} usable clips; only ${pool.length} of ${input.clips.length} are usable. Add clips or lower clips per output.`,
      { field: 'clipsPerOutput', usable: pool.length },
    );
  }
  const index = new Map(pool.map((clip, i) => [clip.id, i]));
  const conflicts = pool.map(() => new Set<number>());
  const rules: Array<[number, number]> = [];
  for (const rule of input.rules ?? []) {
    const a = index.get(rule.a);
    const b = index.get(rule.b);
    if (a === undefined || b === undefined || a === b || conflicts[a]!.has(b)) continue;
    conflicts[a]!.add(b);
    conflicts[b]!.add(a);
    rules.push([a, b]);
  }
  return { kind: 'auto', pool, k, conflicts, rules };
}

// ---------- counting ----------

function countManual(space: ManualSpace): PossibleCount {
  const sizes = space.columns.map((c) => c.length);
  const all = product(sizes);
  if (space.rules.length === 0) return { value: all, exact: true };
  if (space.rules.length <= MAX_EXACT_RULES) {
    // Inclusion–exclusion: subtract tuples holding each forbidden pair, add back pairs of pairs, ...
    let total = 0n;
    for (let mask = 0; mask < 1 << space.rules.length; mask++) {
      const forced = new Map<number, number>();
      let consistent = true;
      let bits = 0;
      for (let r = 0; r < space.rules.length && consistent; r++) {
        if (!(mask & (1 << r))) continue;
        bits++;
        const [ca, ia, cb, ib] = space.rules[r]!;
        for (const [c, i] of [
          [ca, ia],
          [cb, ib],
        ] as const) {
          const prev = forced.get(c);
          if (prev !== undefined && prev !== i) consistent = false;
          forced.set(c, i);
        }
      }
      if (!consistent) continue;
      let term = 1n;
      sizes.forEach((n, c) => {
        if (!forced.has(c)) term *= BigInt(n);
      });
      total += bits % 2 ? -term : term;
    }
    return { value: total, exact: true };
  }
  if (all <= BigInt(MAX_ENUMERATED)) {
    let count = 0;
    const chosen: number[] = [];
    const walk = (col: number) => {
      if (col === space.columns.length) {
        count++;
        return;
      }
      for (let i = 0; i < sizes[col]!; i++) {
        if (space.conflicts[col]![i]!.some(([c, j]) => c < col && chosen[c] === j)) continue;
        chosen[col] = i;
        walk(col + 1);
      }
    };
    walk(0);
    return { value: BigInt(count), exact: true };
  }
  // Too many rules for inclusion–exclusion and too many tuples to walk: treat rules as independent.
  let factor = 1;
  for (const [ca, , cb] of space.rules) factor *= 1 - 1 / (sizes[ca]! * sizes[cb]!);
  return { value: scaleBig(all, factor), exact: false };
}

function countAuto(space: AutoSpace): PossibleCount {
  const n = space.pool.length;
  const k = space.k;
  const all = permutations(n, k);
  if (space.rules.length === 0) return { value: all, exact: true };
  const orders = permutations(k, k);
  if (space.rules.length <= MAX_EXACT_RULES) {
    let total = 0n;
    for (let mask = 0; mask < 1 << space.rules.length; mask++) {
      const vertices = new Set<number>();
      let bits = 0;
      for (let r = 0; r < space.rules.length; r++) {
        if (!(mask & (1 << r))) continue;
        bits++;
        vertices.add(space.rules[r]![0]);
        vertices.add(space.rules[r]![1]);
      }
      const v = vertices.size;
      if (v > k) continue;
      const term = binomial(n - v, k - v) * orders;
      total += bits % 2 ? -term : term;
    }
    return { value: total, exact: true };
  }
  if (binomial(n, k) <= BigInt(MAX_ENUMERATED)) {
    // Count conflict-free k-sets; every one of them gives k! orders.
    let sets = 0;
    const chosen: number[] = [];
    const walk = (start: number) => {
      if (chosen.length === k) {
        sets++;
        return;
      }
      for (let i = start; i <= n - (k - chosen.length); i++) {
        if (chosen.some((c) => space.conflicts[i]!.has(c))) continue;
        chosen.push(i);
        walk(i + 1);
        chosen.pop();
      }
    };
    walk(0);
    return { value: BigInt(sets) * orders, exact: true };
  }
  const pairShare = (k * (k - 1)) / (n * (n - 1));
  return { value: scaleBig(all, (1 - pairShare) ** space.rules.length), exact: false };
}

function scaleBig(value: bigint, factor: number): bigint {
  if (value <= BigInt(Number.MAX_SAFE_INTEGER)) return BigInt(Math.floor(Number(value) * factor));
  const scale = 1_000_000_000n;
  return (value * BigInt(Math.floor(factor * Number(scale)))) / scale;
}

function countSpace(space: Space): PossibleCount {
  return space.kind === 'manual' ? countManual(space) : countAuto(space);
}

/** How many distinct outputs the input allows (rules applied). Throws ValidationError for unusable input. */
export function countPossible(input: PlanInput): PossibleCount {
  return countSpace(prepare(input));
}

// ---------- manual generation ----------

/**
 * Walks the product of the groups in an order where every prefix is balanced: for k = 0, 1, 2, ...
 * column m takes (k' + floor(k' / L_m)) mod n_m with k' = k mod Q_{m+1}, Q_m = n_0·…·n_{m-1},
 * L_m = lcm(Q_m, n_m). Each aligned block of n_m steps shows every clip of column m once (so any prefix
 * uses each clip within ±1), and k ↦ tuple is a bijection on [0, Q_g) (the shift by floor(k'/L_m) moves
 * to a new residue class mod gcd(Q_m, n_m) each time the lcm cycle repeats). No enumeration: O(groups) per output.
 */
function manualWalker(
  sizes: readonly number[],
  rng: Rng,
  slow: ReadonlySet<number> = new Set(),
): (k: bigint, out: number[]) => void {
  // `slow` columns (headlines) vary slowest: every clip sequence comes once before any comes with another headline.
  const all = sizes.map((_, i) => i);
  const order = [...rng.shuffled(all.filter((c) => !slow.has(c))), ...rng.shuffled(all.filter((c) => slow.has(c)))];
  const labels = sizes.map((n) => rng.shuffled(Array.from({ length: n }, (_, i) => i)));
  const n = order.map((col) => BigInt(sizes[col]!));
  const qNext: bigint[] = [];
  const l: bigint[] = [];
  let q = 1n;
  for (let m = 0; m < order.length; m++) {
    l.push(lcm(q, n[m]!));
    q *= n[m]!;
    qNext.push(q);
  }
  return (k, out) => {
    let kk = k;
    for (let m = order.length - 1; m >= 0; m--) {
      kk %= qNext[m]!;
      const digit = Number((kk + kk / l[m]!) % n[m]!);
      const col = order[m]!;
      out[col] = labels[col]![digit]!;
    }
  };
}

function generateManual(space: ManualSpace, count: number, rng: Rng, strict: boolean): number[][] {
  const sizes = space.columns.map((c) => c.length);
  const all = product(sizes);
  const walk = manualWalker(sizes, rng, new Set(space.headlineColumns.map((h) => h.column)));
  const result: number[][] = [];
  const scanLimit = space.rules.length === 0 ? BigInt(count) : min(all, BigInt(Math.max(MAX_SCANNED, count)));
  for (let k = 0n; k < scanLimit && result.length < count; k++) {
    const tuple = new Array<number>(sizes.length);
    walk(k, tuple);
    // Rules only skip tuples; the walk order keeps usage close to even (exactly ±1 without rules).
    if (space.rules.length && tuple.some((i, col) => space.conflicts[col]![i]!.some(([c, j]) => tuple[c] === j)))
      continue;
    result.push(tuple);
  }
  if (result.length < count && strict) throw tooFewFound(result.length, count);
  return result;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

// ---------- auto generation ----------

/**
 * Every ordered selection of k distinct clips out of n is uniquely (base c, offsets o) with clips
 * (c + o_j) mod n, o_0 = 0 and (o_1..o_{k-1}) distinct in [1, n). A "round" is one offset tuple with all n bases:
 * each clip is used exactly k times in it. A final partial round uses offsets forming a run of k consecutive
 * values and bases stepping by k, so its clips are consecutive windows of the pool: usage stays within ±1.
 */
function unrankOffsets(rank: bigint, n: number, k: number): number[] {
  const available = Array.from({ length: n - 1 }, (_, i) => i + 1);
  const offsets = [0];
  let r = rank;
  for (let j = 0; j < k - 1; j++) {
    const radix = BigInt(n - 1 - j);
    const idx = Number(r % radix);
    r /= radix;
    offsets.push(available.splice(idx, 1)[0]!);
  }
  return offsets;
}

/** Distinct offset tuples in a seeded random order; lazily, since there may be astronomically many. */
function* offsetTuples(n: number, k: number, rng: Rng, skip: ReadonlySet<string>): Generator<number[]> {
  const total = permutations(n - 1, k - 1);
  if (total <= 200_000n) {
    const ranks = rng.shuffled(Array.from({ length: Number(total) }, (_, i) => i));
    for (const rank of ranks) {
      const offsets = unrankOffsets(BigInt(rank), n, k);
      if (!skip.has(offsets.join(','))) yield offsets;
    }
    return;
  }
  // Huge space: random ranks, rejecting repeats (rare, since we never need more than a sliver of them).
  const seen = new Set<string>();
  for (;;) {
    const offsets = unrankOffsets(rng.bigBelow(total), n, k);
    const key = offsets.join(',');
    if (seen.has(key) || skip.has(key)) continue;
    seen.add(key);
    yield offsets;
  }
}

function generateAuto(space: AutoSpace, count: number, rng: Rng, strict: boolean): number[][] {
  const n = space.pool.length;
  const k = space.k;
  const labels = rng.shuffled(Array.from({ length: n }, (_, i) => i));
  const result: number[][] = [];
  const emit = (base: number, offsets: readonly number[]) => offsets.map((o) => labels[(base + o) % n]!);

  if (space.rules.length === 0) {
    const fullRounds = Math.floor(count / n);
    const partial = count % n;
    const skip = new Set<string>();
    if (partial > 0) {
      // Offsets {-t, …, k-1-t} (mod n), 0 first, the rest in random order.
      const t = rng.int(k);
      const run = Array.from({ length: k }, (_, j) => (((j - t) % n) + n) % n).filter((o) => o !== 0);
      const offsets = [0, ...rng.shuffled(run)];
      skip.add(offsets.join(','));
      const perSub = n / gcdNum(n, k);
      for (let i = 0; i < partial; i++) {
        const windowStart = (i * k + Math.floor(i / perSub)) % n;
        result.push(emit((windowStart + t) % n, offsets));
      }
    }
    const tuples = offsetTuples(n, k, rng, skip);
    for (let r = 0; r < fullRounds; r++) {
      const offsets = tuples.next().value;
      if (!offsets) throw new Error('planner: ran out of offset tuples (count exceeds possible?)');
      for (let base = 0; base < n; base++) result.push(emit(base, offsets));
    }
    return result;
  }

  let scanned = 0;
  for (const offsets of offsetTuples(n, k, rng, new Set())) {
    for (let base = 0; base < n && result.length < count; base++) {
      const seq = emit(base, offsets);
      scanned++;
      if (seq.some((a, i) => seq.some((b, j) => j > i && space.conflicts[a]!.has(b)))) continue;
      result.push(seq);
    }
    if (result.length >= count || scanned >= MAX_SCANNED) break;
  }
  if (result.length < count && strict) throw tooFewFound(result.length, count);
  return result;
}

function gcdNum(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x;
}

function tooFewFound(found: number, requested: number): ValidationError {
  return new ValidationError(
    `Only ${found} combinations respect the compatibility rules, fewer than the ${requested} requested. Ask for ${found} or fewer, or relax the rules.`,
    { field: 'count', possible: found, requested },
  );
}

// ---------- planning ----------

function resolveCount(input: PlanInput, possible: PossibleCount): number {
  const about = possible.exact ? '' : 'about ';
  if (possible.value === 0n) {
    throw new ValidationError('The compatibility rules exclude every combination: relax them to mix.', {
      field: 'rules',
      possible: 0,
    });
  }
  if (input.count === undefined) {
    const cap = BigInt(input.countCap ?? DEFAULT_COUNT_CAP);
    return Number(possible.value < cap ? possible.value : cap);
  }
  if (!Number.isInteger(input.count) || input.count < 1) {
    throw new ValidationError(`The number of videos must be a whole number of at least 1 (got ${input.count}).`, {
      field: 'count',
    });
  }
  if (BigInt(input.count) > possible.value) {
    throw new ValidationError(
      `You asked for ${input.count} videos, but only ${about}${possible.value} different combinations are possible with these clips. Ask for ${possible.value} or fewer, or add clips.`,
      { field: 'count', possible: toApproxNumber(possible.value), requested: input.count },
    );
  }
  return input.count;
}

/**
 * Picks `count` distinct outputs, deterministically for a seed, using clips as evenly as possible:
 * without rules each clip's use count is within ±1 of the others in its group (manual) or pool (auto).
 * Never enumerates the whole space. Throws ValidationError for unusable input or a count above what is possible.
 */
export function planCombinations(input: PlanInput): Plan {
  const seed = input.seed ?? 1;
  const space = prepare(input);
  const possible = countSpace(space);
  const count = resolveCount(input, possible);
  const rng = createRng(seed);
  // An estimated count may promise more than exists: only an explicit request must be met in full.
  const strict = input.count !== undefined;
  const tuples =
    space.kind === 'manual' ? generateManual(space, count, rng, strict) : generateAuto(space, count, rng, strict);
  const ids = (tuple: number[]) =>
    space.kind === 'manual'
      ? tuple.slice(0, space.clipColumns).map((i, col) => space.columns[col]![i]!.id)
      : tuple.map((i) => space.pool[i]!.id);
  const headlines = (tuple: number[]): Pick<Combination, 'headlines'> => {
    if (space.kind !== 'manual' || space.headlineColumns.length === 0) return {};
    const shown: Array<string | null> = new Array(space.clipColumns).fill(null);
    for (const { column, group } of space.headlineColumns) {
      shown[group] = space.headlineText.get(space.columns[column]![tuple[column]!]!.id) ?? null;
    }
    return { headlines: shown };
  };
  // Output order shuffled too, so the first videos are not all variations of the same opening clip.
  const combinations = rng
    .shuffled(tuples)
    .map((tuple, index) => ({ index, clipIds: ids(tuple), ...headlines(tuple) }));
  return { mode: input.mode, possible, count: combinations.length, seed, combinations };
}

/** The plan plus what the user sees before rendering: total duration and credit cost. */
export function summarisePlan(input: PlanInput): PlanSummary {
  const plan = planCombinations(input);
  const clips = input.mode === 'manual' ? input.groups.flatMap((g) => g.clips) : input.clips;
  const durations = new Map(clips.map((c) => [c.id, c.duration]));
  let totalDuration = 0;
  for (const combination of plan.combinations) {
    for (const id of combination.clipIds) totalDuration += durations.get(id) ?? 0;
  }
  return {
    mode: plan.mode,
    possible: toApproxNumber(plan.possible.value),
    count: plan.count,
    seed: plan.seed,
    combinations: plan.combinations,
    totalDuration,
    creditCost: creditCost(plan.count),
  };
}
