import { availableParallelism, homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import {
  FitMode,
  Loudness,
  type NearDuplicate,
  OutputFormat,
  PLACEMENT_NAMES,
  type PlacementName,
  type Preflight,
  parsePlacements,
  RenderSettings,
  Strategy,
} from '@vmp/shared';
import { adIdOf } from '../engine/codes/ad.ts';
import type { AdCodes } from '../engine/codes/index.ts';
import { type MixOptions, mix } from '../engine/mix.ts';
import type { Plan, PlanClip, PlanHeadline, PlanInput } from '../engine/plan/planner.ts';
import { planOutputs } from '../engine/plan-outputs.ts';
import { clipVideoDuration } from '../engine/profiles/profile.ts';
import { headlineGlyphWarnings, loadCaptions, loadHeadlines } from '../engine/text/load.ts';
import type { ClipAnalysis } from '../engine/validate/analyse.ts';
import { checkFarmUrl } from '../farm/connection.ts';
import type { FarmSigningMaterial } from '../farm/trust/signer.ts';
import type { JobPayment, Licensing } from '../licensing/service.ts';
import { notifyMixEnded } from '../notify/mix-run.ts';
import { checkNotifyUrl } from '../notify/webhook.ts';
import { parseStorageUrl } from '../storage/keys.ts';
import { analyseFiles } from './analyse-files.ts';
import { folderCodeBook, outManifest } from './codes.ts';
import { type CliCommand, type CliIo, EXIT_FAILURE, EXIT_OK, parseOrUsage, UsageError } from './command.ts';
import { mixKeepingDone, outputsAlreadyDone } from './disk.ts';
import { openLicensing } from './licensing.ts';
import { nextBatchPlan, nextFromOptions } from './next-from.ts';
import { createProgressReporter } from './progress.ts';
import { type ScannedFolder, scanMixFolder } from './scan.ts';

const USAGE = `Usage: vmp mix <folder> --out <dir> [options]

  <folder> of sub-folders: manual mode, one clip from each sub-folder per video, sub-folders in name order.
  <folder> of files:       auto mode, --clips-per-output clips per video, never a clip twice in a video.

  --out <dir>               where the videos go (required)
  --count N                 videos to make (default: every combination, at most 500)
  --seed S                  same seed, same plan (default 1)
  --format 9:16|1:1|4:5|16:9   output shape (default 9:16)
  --platform <list>         placements, comma-separated: ${PLACEMENT_NAMES.join(', ')}; each combination is
                            made once per placement (its canvas and safe zone) and checked against it (pre-flight)
  --fit cover|contain|blur  how clips fill the frame (default cover)
  --strategy fast|unique    fast: no re-encode per video; unique: re-encode with small variations (default fast)
  --clips-per-output K      auto mode (default 3)
  --loudness normalize|off  bring every clip to one loudness (-14 LUFS, true peak -1 dBTP) or keep levels (default normalize)
  --concurrency C           FFmpeg processes at once (default: CPU cores)
  --cache-dir <dir>         normalised clips cache (default: $VMP_CACHE_DIR or the user cache folder)
  --json                    stdout: {"outputs":[{path,sources,duration,components,adName,adId}],"skipped":[{path,reason}]};
                            with --platform each output also has placement and preflight, and the report nearDuplicates
  --next-from <csv>         the next batch from a batch's results (Meta / TikTok Ads Manager export; repeatable):
                            only combinations never run, weighted toward the components that win (see vmp results)
  --manifest <file>         with --next-from: the manifest.json of the batch the reports are about (required)
  --map field=column        with --next-from: read a CSV column as a field (see vmp results; repeatable)
  --farm <url>              render on the farm's "vmp worker"s (redis:// or rediss:// URL) instead of here;
                            --out must be in the shared folder. Each --json output also names its "worker"
  --storage <url>           with --farm: no shared folder; s3://bucket/prefix that the workers also use
                            (vmp worker --storage). Each clip is uploaded once, keyed by its content hash
                            (skipped when already there); each video is downloaded into --out as it finishes.
                            Endpoint, region and credentials from AWS_ENDPOINT_URL, AWS_REGION,
                            AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE (never printed). Each --json
                            output also names its "remote" s3:// URL
  --keep-remote             with --storage: leave the videos in the bucket (<prefix>/runs/<run>/outputs/),
                            print their s3:// URLs, download nothing
  --notify-url <url>        when the run ends, POST a JSON summary there (Slack's {"text"} for hooks.slack.com);
                            2 attempts 1 s apart; a failure is a warning

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
  /** --storage s3://bucket/prefix (with --farm): no shared folder. */
  storage?: string;
  keepRemote?: boolean;
  notifyUrl?: string;
  /** --platform: placements (shared/placements.ts); absent: the plain --format. */
  placements?: PlacementName[];
  /** --next-from: report CSVs of the batch in `manifest`. */
  nextFrom?: string[];
  manifest?: string;
  map?: string[];
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
      storage: { type: 'string' },
      'keep-remote': { type: 'boolean' },
      'notify-url': { type: 'string' },
      platform: { type: 'string' },
      'next-from': { type: 'string', multiple: true },
      manifest: { type: 'string' },
      map: { type: 'string', multiple: true },
    },
  });
}

/** Parses and checks `vmp mix` arguments; every mistake is a UsageError naming the flag. */
export function parseMixArgs(args: string[], env: NodeJS.ProcessEnv = process.env): MixCliOptions {
  const parsed = parseRaw(args);
  const v = parsed.values;
  const str = (key: Exclude<keyof typeof v, 'json' | 'next-from' | 'map' | 'keep-remote'>) => v[key];
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
    ...farmStorageOptions(v.farm, v.storage, v['keep-remote'], v.platform),
    ...(v['notify-url'] ? { notifyUrl: notifyUrlOption(v['notify-url']) } : {}),
    // An unknown name is a ValidationError (exit 2) naming it and listing the valid ones.
    ...(v.platform !== undefined ? { placements: parsePlacements(v.platform) } : {}),
    ...nextFromOptions(v['next-from'], v.manifest, v.map),
  };
}

/** --storage and --keep-remote: only with --farm, an s3:// URL; --keep-remote leaves no file to pre-flight. */
function farmStorageOptions(
  farm: string | undefined,
  storage: string | undefined,
  keepRemote: boolean | undefined,
  platform: string | undefined,
): { storage?: string; keepRemote?: boolean } {
  if (storage === undefined) {
    if (keepRemote) throw new UsageError('--keep-remote goes with --storage s3://bucket/prefix.');
    return {};
  }
  if (!farm) throw new UsageError("--storage goes with --farm <url>: the bucket the farm's workers share.");
  if (!storage.startsWith('s3://')) throw new UsageError(`--storage must be s3://bucket/prefix (got "${storage}").`);
  try {
    parseStorageUrl(storage);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (keepRemote && platform !== undefined) {
    throw new UsageError('--keep-remote cannot go with --platform: pre-flight checks the videos in --out.');
  }
  return { storage, ...(keepRemote ? { keepRemote: true } : {}) };
}

function notifyUrlOption(raw: string): string {
  try {
    return checkNotifyUrl(raw, '--notify-url');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
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

async function farmRenderer(options: MixCliOptions, io: CliIo, signing: FarmSigningMaterial | null) {
  const { createFarmRenderer } = await import('../farm/submitter.ts');
  const { farmJobSigner } = await import('../farm/trust/signer.ts');
  const { openStorage } = await import('../storage/index.ts');
  const signer = farmJobSigner(signing);
  return createFarmRenderer({
    url: options.farm!,
    log: (line) => io.stderr.write(`${line}\n`),
    signer: () => signer,
    ...(options.storage ? { storage: openStorage(options.storage), keepRemote: options.keepRemote === true } : {}),
  });
}

export interface MixReport {
  outputs: Array<
    {
      path: string;
      sources: string[];
      duration: number;
      headline?: string;
      worker?: string;
      /** --storage: the video's s3:// URL in the farm's bucket. */
      remote?: string;
      placement?: PlacementName;
      preflight?: Preflight;
    } & Partial<AdCodes>
  >;
  skipped: Array<{ path: string; reason: string }>;
  /** Combinations not made for a placement they run too long for. */
  placementSkipped?: Array<{ placement: PlacementName; duration: number; limit: number; message: string }>;
  nearDuplicates?: NearDuplicate[];
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
  const startedAt = Date.now();
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
    cacheDir: options.cacheDir,
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
    if (!g.headlinesFile) continue;
    const lines = await loadHeadlines(g.headlinesFile, `${g.name}/headlines.txt`);
    headlines.set(g.dir, lines);
    for (const w of headlineGlyphWarnings(g.headlinesFile, lines)) io.stderr.write(`Warning: ${w}\n`);
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
    ...(options.placements ? { placements: options.placements } : {}),
    ...(options.watermark ? { watermark: options.watermark } : {}),
  });
  // Component codes: kept from earlier batches' manifests, new clips numbered next (cli/codes.ts).
  const codes = await folderCodeBook(scanned, headlines, [
    outManifest(options.out),
    ...(options.manifest ? [options.manifest] : []),
  ]);
  const naming = {
    projectName: basename(options.folder),
    settings,
    sourcePaths: new Map(files.map((path) => [path, path])),
  };
  let { plan, fileNames, ads, placementSkipped } = planOutputs(planInputFor(scanned, byPath, options, headlines), {
    ...naming,
    codes,
  });
  if (options.nextFrom) {
    ({ plan, fileNames, ads } = await nextBatchPlan(
      options,
      planInputFor(scanned, byPath, options, headlines),
      codes,
      naming,
      io,
    ));
  }
  for (const s of placementSkipped) io.stderr.write(`Warning: ${s.message}\n`);
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
      ads: Object.fromEntries(plan.combinations.flatMap((c, i) => (ads[i] ? [[c.index, ads[i]]] : []))),
      sources,
      settings: { ...settings, count: plan.count, watermark: payment.watermark },
      skipped,
      done,
      placementSkipped,
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
    if (options.notifyUrl) {
      await notifyMixEnded(
        options.notifyUrl,
        {
          project: basename(options.folder),
          made: rendered.report.outputs.length,
          failed: rendered.report.failed?.length ?? 0,
          cancelled: io.signal?.aborted === true,
          credits: charged,
          startedAt,
          outputs: options.out,
        },
        io.stderr,
      );
    }
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
    ads: Record<number, AdCodes>;
    placementSkipped?: ReturnType<typeof planOutputs>['placementSkipped'];
    /** Signs farm jobs as this licensed machine's (farm/trust); null: unlicensed. */
    farmSigning?: FarmSigningMaterial | null;
  },
  completed: (index: number) => void,
): Promise<{ code: number; report: MixReport }> {
  const { plan, fileNames, sources, settings, skipped } = job;
  const progress = createProgressReporter(io.stderr);
  const possible = `${plan.possible.exact ? '' : 'about '}${plan.possible.value}`;
  io.stderr.write(
    settings.placements.length
      ? `Making ${plan.count} videos: ${new Set(plan.combinations.map((c) => c.ad)).size} of ${possible} possible combinations × ${settings.placements.join(', ')} (${plan.mode} mode) in ${options.out}\n`
      : `Making ${plan.count} of ${possible} possible videos (${plan.mode} mode) in ${options.out}\n`,
  );

  // --farm: the same mix, rendered by `vmp worker`s through Redis (same plan, progress, hooks and report).
  const farm = options.farm ? await farmRenderer(options, io, job.farmSigning ?? null) : undefined;
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
    ads: job.ads,
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

  const combinationOf = new Map(plan.combinations.map((c) => [c.index, c]));
  // One ad, one adId across its placements: the component codes' when the plan has them, else the clips' own.
  const adIdOfOutput = (index: number) => {
    const c = combinationOf.get(index);
    const codes = job.ads[index];
    if (codes) return codes.adId;
    return c ? adIdOf([...c.clipIds, ...(c.headlines ?? []).map((h) => h ?? '')].join('|')) : undefined;
  };
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
          ...(job.ads[o.index] ?? {}),
          ...(farm ? { worker: farm.workerOf(o.path) } : {}),
          ...(farm?.remoteOf(o.path) ? { remote: farm.remoteOf(o.path)! } : {}),
          ...(combinationOf.get(o.index)?.placement
            ? { placement: combinationOf.get(o.index)!.placement!, adId: adIdOfOutput(o.index)! }
            : {}),
          ...(result.checks[o.index] ? { preflight: result.checks[o.index]!.preflight } : {}),
        };
      }),
    skipped: skipped.map((s) => ({ path: resolve(s.path), reason: s.reason })),
    ...(settings.placements.length
      ? {
          placementSkipped: (job.placementSkipped ?? []).map(({ placement, duration, limit, message }) => ({
            placement,
            duration,
            limit,
            message,
          })),
          nearDuplicates: result.nearDuplicates,
        }
      : {}),
    ...(result.failed.length ? { failed: result.failed.map((f) => ({ index: f.index, error: f.error.message })) } : {}),
    credits: { mode: 'unlicensed', cost: 0, charged: 0, watermark: settings.watermark ?? null },
  };
  for (const f of result.failed) io.stderr.write(`Video ${f.index + 1} failed: ${f.error.message}\n`);
  writeChecks(io, report);
  return { code: result.failed.length > 0 ? EXIT_FAILURE : EXIT_OK, report };
}

function writeReport(options: MixCliOptions, io: CliIo, report: MixReport): void {
  if (options.json) {
    io.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    // --keep-remote: the videos are in the bucket only.
    for (const o of report.outputs) io.stdout.write(`${options.keepRemote && o.remote ? o.remote : o.path}\n`);
    io.stderr.write(
      `Made ${report.outputs.length} video${report.outputs.length === 1 ? '' : 's'} in ${options.out}` +
        `${report.skipped.length ? `; skipped ${report.skipped.length} file${report.skipped.length === 1 ? '' : 's'}` : ''}` +
        `${report.credits.charged ? `; ${report.credits.charged} credit${report.credits.charged === 1 ? '' : 's'} used` : ''}.\n`,
    );
  }
}

/** Pre-flight and near-duplicates on stderr: each failed rule with its value and limit, each alike pair. */
function writeChecks(io: CliIo, report: MixReport): void {
  const checked = report.outputs.filter((o) => o.preflight);
  if (checked.length === 0) return;
  const failed = checked.filter((o) => !o.preflight!.ok);
  io.stderr.write(`Pre-flight: ${checked.length - failed.length} of ${checked.length} videos pass.\n`);
  for (const o of failed) {
    io.stderr.write(`  ${basename(o.path)} (${o.placement}):\n`);
    for (const p of o.preflight!.problems) {
      io.stderr.write(`    ${p.rule}: ${p.message} [value ${p.value ?? '-'}, limit ${p.limit ?? '-'}]\n`);
    }
  }
  const pairs = report.nearDuplicates ?? [];
  if (pairs.length) io.stderr.write(`Near-duplicates (first 3 s look alike): ${pairs.length} pair(s)\n`);
  for (const p of pairs.slice(0, 20)) io.stderr.write(`  ${p.placement}: ${p.a} ~ ${p.b} (distance ${p.distance})\n`);
  if (pairs.length > 20) io.stderr.write(`  … and ${pairs.length - 20} more (--json lists them all)\n`);
}
