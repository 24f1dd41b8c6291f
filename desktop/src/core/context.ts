import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ApiHandlers, AppSettings, Job, Output } from '@vmp/shared/api';
import type { RenderBatchFn } from '../engine/render/types.ts';
import { type FarmSigningMaterial, farmJobSigner } from '../farm/trust/signer.ts';
import { chooseSecretBox, type SecretBox } from '../licensing/secret-box.ts';
import type { JobPayment } from '../licensing/service.ts';
import { type DesktopNotice, startJobNotifier } from '../notify/job-notifier.ts';
import { RenderQueue } from '../queue/queue.ts';
import { ensureCodesQuietly } from '../results/project-codes.ts';
import { Store } from '../store/store.ts';
import { type ComputeFn, computeInline } from './cpu-tasks.ts';
import { type EnginePort, type EngineRenderer, realEngine } from './engine-port.ts';
import { EventHub } from './events.ts';
import { FarmSetting } from './farm-setting.ts';
import type { CoreLicensingOptions } from './licensing.ts';
import { lockDataDir } from './lock.ts';
import { hostPlatform, type Platform } from './platform.ts';
import { chooseRenderer } from './renderer-choice.ts';
import { defaultAppSettings, defaultOutputRoot, resolveAppSettings } from './settings.ts';

/** Optional seam for the licensing client: reservations never block rendering; failures become warnings. */
export interface CreditsPort {
  jobQueued?(job: Job, creditCost: number): Promise<void>;
  outputCompleted?(output: Output): Promise<void>;
  /** Before anything is queued: how the job is paid (a hold, offline, or unlicensed with a watermark); may refuse. */
  beforeJob?(outputs: number): Promise<JobPayment>;
  jobCreated?(payment: JobPayment, jobId: string): void;
  /** The job could not be created after `beforeJob`: give its hold back. */
  jobAbandoned?(payment: JobPayment): Promise<void>;
  /** Before `outputs` failed or cancelled outputs of a job render again; refuses when they cannot be paid. */
  beforeRetry?(jobId: string, outputs: number): Promise<void>;
  /** What signs render-farm jobs as this licensed machine's (farm/trust); null or absent: unlicensed. */
  farmSigningMaterial?(): Promise<FarmSigningMaterial | null>;
}

export interface CoreOptions {
  dataDir: string;
  platform?: Platform;
  engine?: EnginePort;
  /** Replaces the engine's batch renderer (queue tests); default: engine.createRenderer. */
  render?: RenderBatchFn;
  credits?: CreditsPort;
  /** Default for AppSettings.defaultOutputDir (~/Videos/Video Mixer Pro). */
  defaultOutputDir?: string;
  backoffBaseMs?: number;
  migrationsDir?: string;
  /** Appends every FFmpeg command the renderer runs to this file (support, and the crash test's evidence). */
  commandLog?: string;
  /** Licensing of this data folder (server from VMP_SERVER_URL); tests pass a machine id, clock, intervals. */
  licensing?: CoreLicensingOptions;
  /** The host's desktop notification when a job ends (Electron's Notification); the webhook needs none. */
  notifyDesktop?: (notice: DesktopNotice) => void;
}

export const SETTINGS_KEY = 'app.settings';

/** What every API area of the core shares. Built once by createContext; the areas never build their own. */
export interface CoreContext {
  readonly dataDir: string;
  readonly store: Store;
  readonly queue: RenderQueue;
  readonly hub: EventHub;
  readonly engine: EnginePort;
  /** Planning and other CPU-bound engine work, in the engine's worker threads. */
  readonly compute: ComputeFn;
  readonly platform: Platform;
  readonly credits: CreditsPort | undefined;
  /** Content-keyed stills of clips and outputs. */
  readonly thumbsDir: string;
  readonly defaults: AppSettings;
  settings(): AppSettings;
  /** The "Render farm" URL at rest: its password sealed apart from the settings row. */
  readonly farm: FarmSetting;
  /** A notice the UI shows as a warning. */
  warn(message: string): void;
  /** Marks the project as just changed and tells the UI. */
  projectChanged(projectId: string): void;
  /** Stops the queue and the renderer, closes the database and releases the data-folder lock. */
  close(): Promise<void>;
}

/** The handlers of one API area: every method whose name starts with `<area>.`. */
export type AreaHandlers<Area extends string> = Pick<ApiHandlers, Extract<keyof ApiHandlers, `${Area}.${string}`>>;

function commandLogger(file: string): (command: string) => void {
  mkdirSync(dirname(file), { recursive: true });
  return (command) => appendFileSync(file, `${new Date().toISOString()} ${command}\n`);
}

/** Locks the data folder, opens the store and starts nothing yet (the caller starts the queue). */
export function createContext(options: CoreOptions): CoreContext {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  let store: Store;
  try {
    store = Store.open(dataDir, options.migrationsDir ? { migrationsDir: options.migrationsDir } : {});
  } catch (error) {
    unlock();
    throw error;
  }
  const hub = new EventHub();
  // The engine's analysis runs in the renderer's worker threads; the renderer is made below, from the engine.
  let compute: ComputeFn = computeInline;
  const engine = options.engine ?? realEngine((name, ...args) => compute(name, ...args));
  const platform = options.platform ?? hostPlatform();
  const thumbsDir = join(dataDir, 'thumbnails');
  mkdirSync(thumbsDir, { recursive: true });
  const defaults = defaultAppSettings(options.defaultOutputDir ?? defaultOutputRoot());
  const settings = () => resolveAppSettings(store.settings.get(SETTINGS_KEY), defaults);
  // The machine secret store of licensing (same safeStorage / keychain key / key file), opened on first need.
  let box: Promise<SecretBox> | undefined;
  const farm = new FarmSetting(store.settings, SETTINGS_KEY, () => {
    const { secretBox, safeStorage, env } = options.licensing ?? {};
    box ??= secretBox ? Promise.resolve(secretBox) : chooseSecretBox({ safeStorage, env });
    return box;
  });

  const local: EngineRenderer = options.render
    ? { renderBatch: options.render, setConcurrency: () => undefined, compute: computeInline, close: async () => {} }
    : engine.createRenderer({
        cacheDir: join(dataDir, 'cache'),
        concurrency: settings().concurrency,
        ...(options.commandLog ? { onCommand: commandLogger(options.commandLog) } : {}),
      });
  const renderer = chooseRenderer({
    local,
    farmUrl: () => farm.connectUrl(settings().farmUrl),
    farmStorageUrl: () => settings().farmStorageUrl ?? null,
    farmSigner: async () => farmJobSigner((await options.credits?.farmSigningMaterial?.()) ?? null),
    // The queue view shows "Rendering on host:pid" from these events.
    onWorker: (path, worker) => {
      for (const output of store.outputs.recordWorker(path, worker)) hub.emit({ type: 'output.updated', output });
    },
  });

  compute = local.compute;

  const warn = (message: string) => hub.emit({ type: 'notice', level: 'warning', message });
  const queue = new RenderQueue({
    store,
    renderer,
    emit: hub.emit,
    concurrency: settings().concurrency,
    // Pre-flight of outputs made for placements, in the engine's worker threads beside the renders.
    checks: {
      output: (spec) => local.compute('checkRendered', spec),
      job: (dbFile, jobId) => local.compute('finishJobChecks', dbFile, jobId),
    },
    ...(options.backoffBaseMs !== undefined ? { backoffBaseMs: options.backoffBaseMs } : {}),
    hooks: {
      outputCompleted: (output) => {
        store.projects.touch(output.projectId);
        options.credits?.outputCompleted?.(output).catch((e: unknown) => warn(`Credits: ${(e as Error).message}`));
      },
    },
  });

  // Word when a job ends: the desktop notification and the AppSettings.notifyUrl webhook.
  const stopNotifier = startJobNotifier({
    subscribe: hub.subscribe.bind(hub),
    notifyUrl: () => settings().notifyUrl,
    projectName: (id) => store.projects.get(id).name,
    ...(options.notifyDesktop ? { desktop: options.notifyDesktop } : {}),
    warn,
  });

  let closed = false;
  return {
    dataDir,
    store,
    queue,
    hub,
    engine,
    compute: local.compute,
    platform,
    credits: options.credits,
    thumbsDir,
    defaults,
    settings,
    farm,
    warn,
    projectChanged(projectId) {
      store.projects.touch(projectId);
      ensureCodesQuietly(store, projectId);
      hub.emit({ type: 'project.changed', projectId });
    },
    async close() {
      if (closed) return;
      closed = true;
      stopNotifier();
      await queue.stop();
      await renderer.close();
      store.close();
      unlock();
    },
  };
}

/** A project with its clips, groups and rules, as `projects.get` answers. */
export function projectDetail(ctx: CoreContext, projectId: string) {
  const { store } = ctx;
  return {
    project: store.projects.get(projectId),
    clips: store.clips.list(projectId),
    groups: store.groups.list(projectId),
    rules: store.rules.list(projectId),
  };
}
