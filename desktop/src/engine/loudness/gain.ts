import { AUDIO_RATE } from '../profiles/profile.ts';
import type { LoudnessStats } from './measure.ts';

/** Integrated loudness every output is brought to (what the social platforms normalise to), LUFS. */
export const TARGET_LUFS = -14;
/** True-peak ceiling of the delivered audio, dBTP. */
export const TRUE_PEAK_CEILING = -1;
/** Below this a clip is silence or hiss: it gets no gain (raising it would only raise noise). */
export const SILENCE_LUFS = -60;
/** Most a quiet clip is raised, dB: a −41 LUFS recording still reaches the target; noise floors stay sane. */
export const MAX_GAIN_DB = 30;
/**
 * The limiter's sample-peak ceiling, dBFS: under the true-peak ceiling by a margin for inter-sample peaks and for
 * the AAC encode, which adds a few tenths of a dB of overshoot.
 */
export const LIMITER_CEILING_DB = -2;

export interface LoudnessPlan {
  /** Gain to apply, dB. */
  gainDb: number;
  /** Whether peaks after the gain would pass the ceiling, so a limiter must catch them. */
  limit: boolean;
}

export const NO_CHANGE: LoudnessPlan = { gainDb: 0, limit: false };

/** The gain that brings a clip to the target, and whether its peaks then need limiting. Silence stays silent. */
export function loudnessPlan(stats: LoudnessStats, target = TARGET_LUFS): LoudnessPlan {
  if (!Number.isFinite(stats.integrated) || stats.integrated <= SILENCE_LUFS || stats.truePeak === null) {
    return NO_CHANGE;
  }
  const gainDb = Math.round(Math.min(MAX_GAIN_DB, target - stats.integrated) * 100) / 100;
  return { gainDb, limit: stats.truePeak + gainDb > TRUE_PEAK_CEILING - 0.5 };
}

/** Linear factor of a dB gain. */
export function dbToLinear(db: number): number {
  return 10 ** (db / 20);
}

/**
 * Filters (comma-terminated, possibly empty) applying a plan to 48 kHz float audio. The limiter runs 4× oversampled
 * so it catches inter-sample peaks (true peak, not just sample peak), with its latency compensated (sync).
 */
export function loudnessChain(plan: LoudnessPlan): string {
  if (plan.gainDb === 0 && !plan.limit) return '';
  const gain = plan.gainDb === 0 ? '' : `volume=${plan.gainDb}dB,`;
  const limiter = plan.limit
    ? `aresample=${4 * AUDIO_RATE},alimiter=limit=${dbToLinear(LIMITER_CEILING_DB).toFixed(4)}:attack=1:release=10:` +
      `level=0:latency=1,aresample=${AUDIO_RATE},`
    : '';
  return `${gain}${limiter}`;
}

/**
 * A limited clip comes out quieter than its gain alone says (the peaks it flattened counted too). Given its
 * loudness measured after `plan`, the plan that lands nearer the target; null when it is close enough.
 */
export function refinePlan(plan: LoudnessPlan, measuredAfter: number, target = TARGET_LUFS): LoudnessPlan | null {
  const error = target - measuredAfter;
  if (!plan.limit || Math.abs(error) <= 0.3 || plan.gainDb >= MAX_GAIN_DB) return null;
  return { ...plan, gainDb: Math.round(Math.min(MAX_GAIN_DB, plan.gainDb + error) * 100) / 100 };
}
