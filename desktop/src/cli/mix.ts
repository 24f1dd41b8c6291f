import { availableParallelism, homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { FitMode, Loudness, OutputFormat, RenderSettings, Strategy } from '@vmp/shared';
import { type MixOptions, mix } from '../engine/mix.ts';
import type { Plan, PlanClip, PlanHeadline, PlanInput } from '../engine/plan/planner.ts';
import { planOutputs } from '../engine/plan-outputs.ts';
import { clipVideoDuration } from '../engine/profiles/profile.ts';
import { loadCaptions, loadHeadlines } from '../engine/text/load.ts';
import type { ClipAnalysis } from '../engine/validate/analyse.ts';
import { checkFarmUrl } from '../farm/connection.ts';
import type { FarmSigningMaterial } from '../farm/trust/signer.ts';
import type { JobPayment, Licensing } from '../licensing/service.ts';
import { analyseFiles } from './analyse-files.ts';
import { type CliCommand, type CliIo, EXIT_FAILURE, EXIT_OK, parseOrUsage, UsageError } from './command.ts';
import { mixKeepingDone, outputsAlreadyDone } from './disk.ts';
import { openLicensing } from './licensing.ts';
import { createProgressReporter } from './progress.ts';
import { type ScannedFolder, scanMixFolder } from './scan.ts';

const USAGE = `Usage: vmp mix <folder> --out <dir> [options]

  <folder> of sub-folders: manual mode, one clip from each sub-folder per video, sub-folders in name order.
  <folder> of files:       auto mode, --clips-per-output clips per video, never a clip twice in a video.

  --out <dir>               where the videos go (required)
  --count N                 videos to make (default: every combination, at most 500)
  --seed S                  same seed, same plan (default 1)
  --format 9:16|1:1|4:5|16:9   output shape (default 9:16)
  --fit cover|contain|blur  how clips fill the frame (default cover)
  --strategy fast|unique    fast: no re-encode per video; unique: re-encode with small variations (default fast)
  --clips-per-output K      auto mode (default 3)
  --loudness normalize|off  bring every clip to one loudness (-14 LUFS, true peak -1 dBTP) or keep levels (default normalize)
  --concurrency C           FFmpeg processes at once (default: CPU cores)
  --cache-dir <dir>         normalised clips cache (default: $VMP_CACHE_DIR or the user cache folder)
  --json                    stdout: {"outputs":[{path,sources,duration}],"skipped":[{path,reason}]}
  --farm <url>              render on the farm's "vmp worker"s (redis:// or rediss:// URL) instead of here;
                            --out must be in the shared folder. Each --json output also names its "worker"

Progress goes to stderr. Exit code: 0 done; 1 rendering failed; 2 bad usage or nothing to mix; 130 cancelled.`;

export interface MixCliOptions {
  folder: string;
  out: string;
  count?: number;
  seed: number;
  format: OutputFormat;
  fit: FitMode;
  strategy: Strategy;
  clipsPerOutput: number;
  loudness: Loudness;
  concurrency: number;
  cacheDir: string;
  json: boolean;
  /** License watermark (RenderSettings.watermark): set by the licensing code, never by a flag. */
  watermark?: string | null;
  farm?: string;
}

function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return value;
}

function choice<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${raw}").`);
  }
  return raw as T;
}

/** The per-user cache folder, following each OS's convention; VMP_CACHE_DIR wins. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.VMP_CACHE_DIR) return resolve(env.VMP_CACHE_DIR);
  if (platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'VideoMixerPro', 'cache');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'VideoMixerPro');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'video-mixer-pro');
}

function parseRaw(args: string[]) {
  return parseOrUsage({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string', short: 'o' },
      count: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      format: { type: 'string' },
      fit: { type: 'string' },
      strategy: { type: 'string' },
      'clips-per-output': { type: 'string', short: 'k' },
      loudness: { type: 'string' },
      concurrency: { type: 'string', short: 'j' },
      'cache-dir': { type: 'string' },
      json: { type: 'boolean' },
      farm: { type: 'string' },
    },
  });
}

/** Parses and checks `vmp mix` arguments; every mistake is a UsageError naming the flag. */
export function parseMixArgs(args: string[], env: NodeJS.ProcessEnv = process.env): MixCliOptions {
  const parsed = parseRaw(args);
  const v = parsed.values;
  const str = (key: Exclude<keyof typeof v, 'json'>) => v[key];
  if (parsed.positionals.length !== 1) {
    throw new UsageError(parsed.positionals.length ? 'Give exactly one folder to mix.' : 'Give the folder to mix.');
  }
  const out = str('out');
  if (!out) throw new UsageError('--out <dir> is required: the folder the videos go to.');
  const count = intOption('count', str('count'), 1, 100_000);
  return {
    folder: resolve(parsed.positionals[0]!),
    out: resolve(out),
    ...(count === undefined ? {} : { count }),
    seed: intOption('seed', str('seed'), 0, 2 ** 31 - 1) ?? 1,
    format: choice('format', str('format'), OutputFormat.options, '9:16'),
    fit: choice('fit', str('fit'), FitMode.options, 'cover'),
    strategy: choice('strategy', str('strategy'), Strategy.options, 'fast'),
    clipsPerOutput: intOption('clips-per-output', str('clips-per-output'), 1, 20) ?? 3,
    loudness: choice('loudness', str('loudness'), Loudness.options, 'normalize'),
    concurrency: intOption('concurrency', str('concurrency'), 1, 64) ?? Math.max(1, availableParallelism()),
    cacheDir: str('cache-dir') ? resolve(str('cache-dir')!) : defaultCacheDir(env),
    json: v.json === true,
    ...(v.farm ? { farm: checkFarmUrl(v.farm) } : {}),
  };
}

function planClip(a: ClipAnalysis): PlanClip {
  return { id: a.path, duration: a.info?.duration ?? 0, valid: a.problems.length === 0 && !!a.hash && !!a.info };
}

/** The planner's input from a scanned folder and the analyses of its files. */
export function planInputFor(
  scanned: ScannedFolder,
  analyses: ReadonlyMap<string, ClipAnalysis>,
  options: Pick<MixCliOptions, 'count' | 'seed' | 'clipsPerOutput'>,
  /** Headline variants by group folder (from each group's headlines.txt). */
  headlines: ReadonlyMap<string, readonly PlanHeadline[]> = new Map(),
): PlanInput {
  const common = { seed: options.seed, ...(options.count === undefined ? {} : { count: options.count }) };
  const clipOf = (path: string) => planClip(analyses.get(path)!);
  if (scanned.mode === 'manual') {
    return {
      mode: 'manual',
      groups: scanned.groups.map((g) => ({
        name: g.name,
        clips: g.files.map(clipOf),
        ...(headlines.has(g.dir) ? { headlines: headlines.get(g.dir)! } : {}),
      })),
      ...common,
    };
  }
  return { mode: 'auto', clips: scanned.files.map(clipOf), clipsPerOutput: options.clipsPerOutput, ...common };
}

async function farmRenderer(url: string, io: CliIo, signing: FarmSigningMaterial | null) {
  const { createFarmRenderer } = await import('../farm/submitter.ts');
  const { farmJobSigner } = await import('../farm/trust/signer.ts');
  const signer = farmJobSigner(signing);
  return createFarmRenderer({ url, log: (line) => io.stderr.write(`${line}\n`), signer: () => signer });
}

export interface MixReport {
  outputs: Array<{ path: string; sources: string[]; duration: number; headline?: string; worker?: string }>;
  skipped: Array<{ path: string; reason: string }>;
  failed?: Array<{ index: number; error: string }>;
  credits: { mode: JobPayment['mode']; cost: number; charged: number; watermark: string | null };
}

/** The line `vmp mix` prints before rendering: what the job costs and what is left, or why it is free. */
export function costLine(payment: JobPayment, count: number, licensing: Licensing): string {
  const credits = licensing.credits();
  const cost = count * credits.creditsPerOutput;
  const plural = (n: number) => `${n} credit${n === 1 ? '' : 's'}`;
  if (payment.mode === 'unlicensed') {
    const why = licensing.status().message ?? 'This machine is not activated (vmp license activate <key>).';
    return `Unlicensed: every video carries a "${payment.watermark}" watermark and nothing is charged. ${why}\n`;
  }
  if (payment.mode === 'offline') {
    return `Cost: ${plural(cost)}. Offline: recorded on this machine (${credits.pendingUsage} already waiting) and debited when the server is reachable.\n`;
  }
  return `Cost: ${plural(cost)} (${credits.creditsPerOutput} per video). Balance: ${credits.balance ?? 'unknown'}; available after this job: ${credits.available ?? 'unknown'}.\n`;
}

export const mixCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    const options = parseMixArgs(args);
    return runMix(options, io);
  },
};

export async function runMix(options: MixCliOptions, io: CliIo): Promise<number> {
  const progress = createProgressReporter(io.stderr);
  const scanned = await scanMixFolder(options.folder, [options.out, options.cacheDir]);
  const files = scanned.mode === 'manual' ? scanned.groups.flatMap((g) => g.files) : scanned.files;
  if (files.length === 0) {
    throw new UsageError(
      scanned.mode === 'manual'
        ? `The group folders in "${options.folder}" hold no files: put clips in them.`
        : `Folder "${options.folder}" holds no clips.`,
    );
  }

  const analyses = await analyseFiles(files, {
    signal: io.signal,
    onDone: (done, total) =>
      progress.update({ label: 'Checking clips', fraction: done / total, done, total, etaSeconds: null }),
  });
  progress.finish();
  const byPath = new Map(analyses.map((a) => [a.path, a]));
  const skipped = [
    ...analyses
      .filter((a) => a.problems.length > 0)
      .map((a) => ({ path: a.path, reason: a.problems.map((p) => p.message).join(' ') })),
    ...scanned.ignored.map((path) => ({
      path,
      reason: `"${basename(path)}" is not inside a group folder; in a folder of groups, only clips in sub-folders are mixed.`,
    })),
    ...(scanned.unusedText ?? []),
  ];
  for (const s of skipped) io.stderr.write(`Skipping ${basename(s.path)}: ${s.reason}\n`);

  // Text files: a malformed one stops here (exit 2) naming the file and line; cut cues are warnings.
  const headlines = new Map<string, PlanHeadline[]>();
  for (const g of scanned.mode === 'manual' ? scanned.groups : []) {
    if (g.headlinesFile) headlines.set(g.dir, await loadHeadlines(g.headlinesFile, `${g.name}/headlines.txt`));
  }
  const captions = new Map<string, MixOptions['sources'][number]['captions']>();
  for (const [clip, file] of scanned.captions ?? []) {
    const info = byPath.get(clip)?.info;
    if (!info || byPath.get(clip)!.problems.length) continue;
    const { cues, warnings } = await loadCaptions(file, clipVideoDuration(info));
    for (const w of warnings) io.stderr.write(`Warning: ${w}\n`);
    captions.set(clip, cues);
  }

  // Throws ValidationError (exit 2) naming the group, or saying how many combinations exist.
  const settings = RenderSettings.parse({
    format: options.format,
    fit: options.fit,
    strategy: options.strategy,
    seed: options.seed,
    clipsPerOutput: options.clipsPerOutput,
    loudness: options.loudness,
    ...(options.watermark ? { watermark: options.watermark } : {}),
  });
  const { plan, fileNames } = planOutputs(planInputFor(scanned, byPath, options, headlines), {
    projectName: basename(options.folder),
    settings,
    sourcePaths: new Map(files.map((path) => [path, path])),
  });
  const usedIds = new Set(plan.combinations.flatMap((c) => c.clipIds));
  const sources: MixOptions['sources'] = analyses
    .filter((a) => usedIds.has(a.path))
    .map((a) => ({
      id: a.path,
      path: a.path,
      hash: a.hash!,
      info: a.info!,
      ...(captions.get(a.path)?.length ? { captions: captions.get(a.path)! } : {}),
    }));
  // Videos already complete in --out (an earlier run) are kept: neither rendered nor paid again. The farm renders
  // (and so charges) every output of its run.
  const done = options.farm
    ? new Map()
    : await outputsAlreadyDone({
        projectName: basename(options.folder),
        sources,
        settings,
        combinations: plan.combinations,
        fileNames,
        outDir: options.out,
        signal: io.signal,
      });
  const toRender = plan.count - done.size;
  const licensing = await openLicensing();
  try {
    await licensing.heartbeat();
    // Throws INSUFFICIENT_CREDITS ("This job needs 4 credits; 2 are available.") before anything renders.
    const payment = await licensing.beforeJob(toRender);
    if (payment.mode === 'reserved') await licensing.refreshCredits();
    io.stderr.write(costLine(payment, toRender, licensing));
    const job = {
      plan,
      fileNames,
      sources,
      settings: { ...settings, count: plan.count, watermark: payment.watermark },
      skipped,
      done,
      farmSigning: licensing.farmSigningMaterial(),
    };
    let rendered: Awaited<ReturnType<typeof renderMix>>;
    try {
      rendered = await renderMix(options, io, job, (index) => {
        if (!done.has(index)) licensing.outputCompleted(`${payment.key}:${index}`, payment.key);
      });
    } finally {
      // Completed videos are paid, the rest of the hold is freed, also when cancelled.
      await licensing.jobEnded(payment.key);
      await licensing.flush();
    }
    const charged = licensing.ledger.chargedCount(payment.key);
    rendered.report.credits = { mode: payment.mode, cost: toRender, charged, watermark: payment.watermark };
    writeReport(options, io, rendered.report);
    return rendered.code;
  } finally {
    await licensing.close();
  }
}

async function renderMix(
  options: MixCliOptions,
  io: CliIo,
  job: {
    plan: Plan;
    fileNames: readonly string[];
    sources: MixOptions['sources'];
    settings: RenderSettings;
    skipped: Array<{ path: string; reason: string }>;
    done: Awaited<ReturnType<typeof outputsAlreadyDone>>;
    /** Signs farm jobs as this licensed machine's (farm/trust); null: unlicensed. */
    farmSigning?: FarmSigningMaterial | null;
  },
  completed: (index: number) => void,
): Promise<{ code: number; report: MixReport }> {
  const { plan, fileNames, sources, settings, skipped } = job;
  const progress = createProgressReporter(io.stderr);
  io.stderr.write(
    `Making ${plan.count} of ${plan.possible.exact ? '' : 'about '}${plan.possible.value} possible videos (${plan.mode} mode) in ${options.out}\n`,
  );

  // --farm: the same mix, rendered by `vmp worker`s through Redis (same plan, progress, hooks and report).
  const farm = options.farm ? await farmRenderer(options.farm, io, job.farmSigning ?? null) : undefined;
  const render = (o: Parameters<typeof mixKeepingDone>[1]) =>
    farm ? mix({ ...o, renderer: farm }) : mixKeepingDone(io, o);
  const result = await render({
    projectName: basename(options.folder),
    sources,
    combinations: plan.combinations,
    fileNames,
    settings: { ...settings, count: plan.count },
    outDir: options.out,
    cacheDir: options.cacheDir,
    concurrency: options.concurrency,
    signal: io.signal,
    done: job.done,
    onProgress: (p) => {
      if (p.phase === 'done') completed(p.index);
      progress.update({
        label: 'Rendering',
        fraction: p.overall,
        done: p.completed,
        total: p.total,
        etaSeconds: p.etaSeconds,
        estimating: p.etaSeconds === null,
      });
    },
  });
  for (const o of result.outputs) completed(o.index);
  const total = plan.combinations.length;
  const finished = result.outputs.length + result.failed.length;
  progress.update({ label: 'Rendering', fraction: 1, done: finished, total, etaSeconds: 0 });
  progress.finish();

  const headlineOf = new Map(
    plan.combinations.flatMap((c) => {
      const shown = c.headlines?.find((h) => h);
      return shown ? [[c.index, shown] as const] : [];
    }),
  );
  const report: MixReport = {
    outputs: [...result.outputs]
      .sort((a, b) => a.index - b.index)
      .map((o) => {
        const headline = headlineOf.get(o.index);
        return {
          path: resolve(o.path),
          sources: o.clipIds.map((id) => resolve(id)),
          duration: o.duration,
          ...(headline ? { headline } : {}),
          ...(farm ? { worker: farm.workerOf(o.path) } : {}),
        };
      }),
    skipped: skipped.map((s) => ({ path: resolve(s.path), reason: s.reason })),
    ...(result.failed.length ? { failed: result.failed.map((f) => ({ index: f.index, error: f.error.message })) } : {}),
    credits: { mode: 'unlicensed', cost: 0, charged: 0, watermark: settings.watermark ?? null },
  };
  for (const f of result.failed) io.stderr.write(`Video ${f.index + 1} failed: ${f.error.message}\n`);
  return { code: result.failed.length > 0 ? EXIT_FAILURE : EXIT_OK, report };
}

function writeReport(options: MixCliOptions, io: CliIo, report: MixReport): void {
  if (options.json) {
    io.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    for (const o of report.outputs) io.stdout.write(`${o.path}\n`);
    io.stderr.write(
      `Made ${report.outputs.length} video${report.outputs.length === 1 ? '' : 's'} in ${options.out}` +
        `${report.skipped.length ? `; skipped ${report.skipped.length} file${report.skipped.length === 1 ? '' : 's'}` : ''}` +
        `${report.credits.charged ? `; ${report.credits.charged} credit${report.credits.charged === 1 ? '' : 's'} used` : ''}.\n`,
    );
  }
}
