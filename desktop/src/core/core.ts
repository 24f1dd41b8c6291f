import { appendFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { type ClipProblem, RenderSettings } from '@vmp/shared';
import type { ApiHandlers, AppInfo, AppSettings, Clip, Group, Job, Output } from '@vmp/shared/api';
import { AppError, ValidationError } from '@vmp/shared/errors';
import pkg from '../../package.json' with { type: 'json' };
import { dedupeFileNames, sanitizeFileName } from '../engine/render/naming.ts';
import { RenderQueue } from '../queue/queue.ts';
import type { JobPlanSnapshot, RenderOutputFn, RenderSource } from '../queue/types.ts';
import { Store } from '../store/store.ts';
import { type EnginePort, realEngine } from './engine-port.ts';
import { NotFoundError } from './errors.ts';
import { EventHub } from './events.ts';
import { lockDataDir } from './lock.ts';
import { countWarnings, planInputFor } from './plan.ts';
import { hostPlatform, type Platform } from './platform.ts';
import { defaultAppSettings, defaultOutputRoot, mergeRenderSettings, resolveAppSettings } from './settings.ts';

/** Optional seam for the licensing client: reservations never block rendering; failures become warnings. */
export interface CreditsPort {
  jobQueued?(job: Job, creditCost: number): Promise<void>;
  outputCompleted?(output: Output): Promise<void>;
}

export interface CoreOptions {
  dataDir: string;
  platform?: Platform;
  engine?: EnginePort;
  /** Replaces the engine's renderer (queue tests); default: engine.createRenderer. */
  render?: RenderOutputFn;
  credits?: CreditsPort;
  /** Default for AppSettings.defaultOutputDir (~/Videos/Video Mixer Pro). */
  defaultOutputDir?: string;
  backoffBaseMs?: number;
  migrationsDir?: string;
  /** Appends every FFmpeg command the renderer runs to this file (support, and the crash test's evidence). */
  commandLog?: string;
}

export const DEFAULT_GROUPS = ['Hook', 'Body', 'Call to action'];
const SETTINGS_KEY = 'app.settings';
const ANALYSE_CONCURRENCY = 2;

export interface Core extends ApiHandlers {
  readonly dataDir: string;
  readonly store: Store;
  readonly queue: RenderQueue;
  readonly platform: Platform;
  subscribe: EventHub['subscribe'];
  emit: EventHub['emit'];
  /** Folder where browser uploads of a project are stored. */
  mediaDir(projectId: string): string;
  thumbnailFile(clipId: string): string | null;
  /** A still of a completed output, made on first request and cached. */
  outputThumbnailFile(outputId: string): Promise<string | null>;
  outputFile(outputId: string): string | null;
  settings(): AppSettings;
  /** Graceful shutdown: running renders stopped and re-queued, database closed. */
  close(): Promise<void>;
}

function commandLogger(file: string): (command: string) => void {
  mkdirSync(dirname(file), { recursive: true });
  return (command) => appendFileSync(file, `${new Date().toISOString()} ${command}\n`);
}

/** Runs `fn` over items with at most `limit` at once, keeping result order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function clipStatus(problems: ClipProblem[]): Clip['status'] {
  return problems.length === 0 ? 'ok' : 'problem';
}

function stamp(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
}

/** The app API as one object: every method of the contract over the store, the queue and the engine. */
export function createCore(options: CoreOptions): Core {
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
  const engine = options.engine ?? realEngine();
  const platform = options.platform ?? hostPlatform();
  const thumbsDir = join(dataDir, 'thumbnails');
  mkdirSync(thumbsDir, { recursive: true });
  const defaults = defaultAppSettings(options.defaultOutputDir ?? defaultOutputRoot());
  const settings = () => resolveAppSettings(store.getSetting(SETTINGS_KEY), defaults);

  const renderer = options.render
    ? { render: options.render, close: async () => {} }
    : engine.createRenderer({
        cacheDir: join(dataDir, 'cache'),
        concurrency: settings().concurrency,
        ...(options.commandLog ? { onCommand: commandLogger(options.commandLog) } : {}),
      });

  const warn = (message: string) => hub.emit({ type: 'notice', level: 'warning', message });
  const queue = new RenderQueue({
    store,
    render: renderer.render,
    emit: hub.emit,
    concurrency: settings().concurrency,
    ...(options.backoffBaseMs !== undefined ? { backoffBaseMs: options.backoffBaseMs } : {}),
    hooks: {
      outputCompleted: (output) => {
        store.touchProject(output.projectId);
        options.credits?.outputCompleted?.(output).catch((e: unknown) => warn(`Credits: ${(e as Error).message}`));
      },
    },
  });

  const projectChanged = (projectId: string) => {
    store.touchProject(projectId);
    hub.emit({ type: 'project.changed', projectId });
  };

  const detail = (projectId: string) => ({
    project: store.getProject(projectId),
    clips: store.listClips(projectId),
    groups: store.listGroups(projectId),
    rules: store.listRules(projectId),
  });

  /** Analyses a clip that is in the store, saves the result and its thumbnail, emits clip.updated. */
  async function analyseStored(clip: Clip, path: string): Promise<Clip> {
    const stats = statSync(path, { throwIfNoEntry: false });
    const analysis = await engine.analyse(path, { maxBytes: settings().maxClipBytes });
    let thumbnail: string | null = null;
    if (analysis.info?.video && analysis.hash && analysis.problems.length === 0) {
      try {
        // Keyed by content: the same clip in two projects (or re-imported) shares one still.
        const options = { cacheDir: thumbsDir, key: analysis.hash, duration: analysis.info.duration };
        thumbnail = await engine.thumbnail(path, options);
      } catch {
        // A clip without a thumbnail still mixes; the UI shows a placeholder.
      }
    }
    const updated = store.updateClip(clip.id, {
      path,
      name: basename(path),
      hash: analysis.hash,
      size: analysis.size,
      mtimeMs: stats?.mtimeMs ?? null,
      info: analysis.info,
      problems: analysis.problems,
      status: clipStatus(analysis.problems),
      thumbnail,
    });
    hub.emit({ type: 'clip.updated', clip: updated });
    return updated;
  }

  function startJob(projectId: string): Job {
    const d = detail(projectId);
    const { project } = d;
    const { input } = planInputFor(d);
    const plan = engine.plan(input);
    if (plan.count === 0) throw new ValidationError('Nothing to render: the plan has no combinations.');
    const byId = new Map(d.clips.map((c) => [c.id, c]));
    const sources: RenderSource[] = [];
    for (const id of new Set(plan.combinations.flatMap((c) => c.clipIds))) {
      const clip = byId.get(id);
      if (!clip?.hash || !clip.info || clip.status !== 'ok') {
        throw new ValidationError(`Clip "${clip?.name ?? id}" is not ready to render (${clip?.status ?? 'removed'}).`, {
          clipId: id,
        });
      }
      sources.push({ id, path: clip.path, hash: clip.hash, info: clip.info });
    }
    const settingsAtStart = project.settings;
    const at = new Date();
    // One folder per job, never shared: two jobs started in the same second get "-2", "-3", ...
    const base = join(project.outputDir, `${sanitizeFileName(project.name, 60)}-${stamp(at)}`);
    let outputDir = base;
    for (let n = 2; existsSync(outputDir) || store.jobUsesFolder(outputDir); n++) outputDir = `${base}-${n}`;
    try {
      mkdirSync(outputDir, { recursive: true });
    } catch (error) {
      throw new ValidationError(
        `outputDir: cannot create ${outputDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Choose another output folder.`,
        { field: 'outputDir', path: outputDir },
      );
    }
    const names = dedupeFileNames(
      plan.combinations.map((c) =>
        engine.fileName(settingsAtStart.nameTemplate, {
          project: project.name,
          index: c.index,
          total: plan.count,
          clipPaths: c.clipIds.map((id) => byId.get(id)!.path),
          seed: settingsAtStart.seed,
          format: settingsAtStart.format,
        }),
      ),
    );
    const durations = new Map(d.clips.map((c) => [c.id, c.info?.duration ?? 0]));
    const snapshot: JobPlanSnapshot = { projectName: project.name, sources, creditCost: plan.creditCost };
    const jobId = store.createJob({
      projectId,
      settings: settingsAtStart,
      seed: settingsAtStart.seed,
      plan: snapshot,
      outputDir,
      outputs: plan.combinations.map((c, i) => ({
        index: c.index,
        clipIds: c.clipIds,
        path: join(outputDir, names[i]!),
        duration: c.clipIds.reduce((sum, id) => sum + (durations.get(id) ?? 0), 0),
      })),
    });
    queue.jobAdded(jobId);
    projectChanged(projectId);
    const job = store.getJob(jobId);
    options.credits?.jobQueued?.(job, plan.creditCost).catch((e: unknown) => warn(`Credits: ${(e as Error).message}`));
    return job;
  }

  const handlers: ApiHandlers = {
    async 'app.info'() {
      const s = settings();
      const info: AppInfo = {
        version: pkg.version,
        platform: process.platform,
        dataDir,
        transport: platform.transport,
        capabilities: {
          nativeDialogs: platform.nativeDialogs,
          upload: platform.transport === 'browser',
          reveal: platform.canReveal,
        },
        ffmpeg: await engine.ffmpegStatus(),
        uploadLimitBytes: s.maxClipBytes,
      };
      return info;
    },
    async 'app.getSettings'() {
      return settings();
    },
    async 'app.updateSettings'(patch) {
      const next = resolveAppSettings({ ...settings(), ...patch }, defaults);
      store.setSetting(SETTINGS_KEY, next);
      if (patch.concurrency !== undefined) queue.setConcurrency(next.concurrency);
      return next;
    },

    async 'projects.list'() {
      return store.listProjects();
    },
    async 'projects.create'({ name, mode = 'manual', outputDir }) {
      const project = store.createProject({
        name,
        mode,
        outputDir: outputDir ?? join(settings().defaultOutputDir, sanitizeFileName(name, 60)),
        settings: RenderSettings.parse({}),
        groups: mode === 'manual' ? DEFAULT_GROUPS : [],
      });
      hub.emit({ type: 'projects.changed' });
      return project;
    },
    async 'projects.get'({ projectId }) {
      return detail(projectId);
    },
    async 'projects.update'({ projectId, settings: patch, ...rest }) {
      const current = store.getProject(projectId);
      const project = store.updateProject(projectId, {
        ...rest,
        ...(patch ? { settings: mergeRenderSettings(current.settings, patch) } : {}),
      });
      // Switching to manual mode on a project without groups gives it the usual three.
      if (rest.mode === 'manual' && store.listGroups(projectId).length === 0) {
        for (const name of DEFAULT_GROUPS) store.createGroup(projectId, name);
      }
      hub.emit({ type: 'project.changed', projectId });
      hub.emit({ type: 'projects.changed' });
      return project;
    },
    async 'projects.delete'({ projectId }) {
      store.getProject(projectId);
      for (const job of store.listJobs(projectId)) queue.cancelJob(job.id);
      const thumbs = store.listClips(projectId).map((c) => store.clipThumbnail(c.id));
      store.deleteProject(projectId);
      await Promise.all(thumbs.map((t) => (t ? rm(t, { force: true }) : undefined)));
      hub.emit({ type: 'projects.changed' });
      return { ok: true as const };
    },

    async 'clips.import'({ projectId, paths, groupId }) {
      store.getProject(projectId);
      if (groupId) {
        const group = store.getGroup(groupId);
        if (group.projectId !== projectId)
          throw new NotFoundError(`groupId: group ${groupId} is not part of this project.`);
      }
      const skipped: { path: string; reason: string }[] = [];
      const added: Clip[] = [];
      const seen = new Set<string>();
      for (const raw of paths) {
        if (!isAbsolute(raw)) {
          skipped.push({ path: raw, reason: 'Not an absolute path.' });
          continue;
        }
        const path = resolve(raw);
        if (seen.has(path) || store.findClipByPath(projectId, path)) {
          skipped.push({ path, reason: 'Already in this project.' });
          continue;
        }
        seen.add(path);
        const stats = statSync(path, { throwIfNoEntry: false });
        if (!stats) {
          skipped.push({ path, reason: 'File not found.' });
          continue;
        }
        if (stats.isDirectory()) {
          skipped.push({ path, reason: 'This is a folder; choose the video files inside it.' });
          continue;
        }
        added.push(store.insertClip(projectId, { path, name: basename(path), size: stats.size, status: 'analysing' }));
      }
      if (groupId && added.length > 0) {
        const group = store.getGroup(groupId);
        store.setGroupClips(groupId, [...group.clipIds, ...added.map((c) => c.id)]);
      }
      if (added.length > 0) projectChanged(projectId);
      const clips = await mapLimit(added, ANALYSE_CONCURRENCY, async (clip) => {
        try {
          return await analyseStored(clip, clip.path);
        } catch (error) {
          // FFmpeg missing or similar: keep the clip, say why.
          const problems: ClipProblem[] = [
            { code: 'UNDECODABLE', message: `"${clip.name}" could not be analysed: ${(error as Error).message}` },
          ];
          const updated = store.updateClip(clip.id, { problems, status: 'problem' });
          hub.emit({ type: 'clip.updated', clip: updated });
          return updated;
        }
      });
      if (added.length > 0) projectChanged(projectId);
      return { clips, skipped };
    },
    async 'clips.remove'({ projectId, clipIds }) {
      store.getProject(projectId);
      const thumbs = clipIds.flatMap((id) => {
        try {
          return store.getClip(id).projectId === projectId ? [store.clipThumbnail(id)] : [];
        } catch {
          return [];
        }
      });
      store.removeClips(projectId, clipIds);
      await Promise.all(thumbs.map((t) => (t ? rm(t, { force: true }) : undefined)));
      projectChanged(projectId);
      return { ok: true as const };
    },
    async 'clips.relink'({ clipId, path: raw }) {
      const clip = store.getClip(clipId);
      if (!isAbsolute(raw)) throw new ValidationError('path: must be an absolute path.', { field: 'path' });
      const path = resolve(raw);
      const stats = statSync(path, { throwIfNoEntry: false });
      if (!stats?.isFile()) {
        throw new NotFoundError(`path: ${path} was not found (or is not a file).`, { field: 'path', path });
      }
      const other = store.findClipByPath(clip.projectId, path);
      if (other && other.id !== clipId) {
        throw new ValidationError(`path: ${path} is already clip "${other.name}" in this project.`, { field: 'path' });
      }
      const updated = await analyseStored(clip, path);
      projectChanged(clip.projectId);
      return updated;
    },
    async 'clips.recheck'({ projectId }) {
      store.getProject(projectId);
      const changed: Clip[] = [];
      for (const clip of store.listClips(projectId)) {
        if (clip.status === 'analysing') continue;
        const stats = statSync(clip.path, { throwIfNoEntry: false });
        let next: { status: Clip['status']; problems: ClipProblem[] } | null = null;
        if (!stats?.isFile()) {
          next = {
            status: 'missing',
            problems: [
              {
                code: 'MISSING',
                message: `"${clip.name}" is no longer at ${clip.path}. It may have been moved, renamed or deleted: relink it.`,
              },
            ],
          };
        } else if (
          stats.size !== clip.size ||
          stats.mtimeMs !== store.clipMtime(clip.id) ||
          clip.status === 'changed'
        ) {
          const hash = await engine.hash(clip.path).catch(() => null);
          if (clip.hash && hash !== clip.hash) {
            next = {
              status: 'changed',
              problems: [
                {
                  code: 'CHANGED',
                  message: `"${clip.name}" changed on disk since it was added. Relink it to use the new content.`,
                },
              ],
            };
          } else {
            store.updateClip(clip.id, { mtimeMs: stats.mtimeMs });
          }
        }
        if (!next && (clip.status === 'missing' || clip.status === 'changed')) {
          // Back in place, unchanged: restore what the last analysis said.
          const problems = clip.problems.filter((p) => p.code !== 'MISSING' && p.code !== 'CHANGED');
          next = { status: clipStatus(problems), problems };
        }
        if (next && (next.status !== clip.status || JSON.stringify(next.problems) !== JSON.stringify(clip.problems))) {
          const updated = store.updateClip(clip.id, next);
          hub.emit({ type: 'clip.updated', clip: updated });
          changed.push(updated);
        }
      }
      if (changed.length > 0) projectChanged(projectId);
      return store.listClips(projectId);
    },

    async 'groups.create'({ projectId, name }) {
      const group = store.createGroup(projectId, name);
      projectChanged(projectId);
      return group;
    },
    async 'groups.rename'({ groupId, name }) {
      const group = store.renameGroup(groupId, name);
      projectChanged(group.projectId);
      return group;
    },
    async 'groups.delete'({ groupId }) {
      const group = store.deleteGroup(groupId);
      projectChanged(group.projectId);
      return { ok: true as const };
    },
    async 'groups.reorder'({ projectId, groupIds }) {
      const groups = store.reorderGroups(projectId, groupIds);
      projectChanged(projectId);
      return groups;
    },
    async 'groups.setClips'({ groupId, clipIds }) {
      const group = store.setGroupClips(groupId, clipIds);
      projectChanged(group.projectId);
      return group;
    },
    async 'groups.moveClip'({ clipId, fromGroupId, toGroupId, index }) {
      const clip = store.getClip(clipId);
      const changed: Group[] = [];
      store.transaction(() => {
        const from = fromGroupId ? store.getGroup(fromGroupId) : null;
        const to = toGroupId ? store.getGroup(toGroupId) : null;
        for (const [field, g] of [
          ['fromGroupId', from],
          ['toGroupId', to],
        ] as const) {
          if (g && g.projectId !== clip.projectId) {
            throw new NotFoundError(`${field}: group ${g.id} is not part of the clip's project.`, { field });
          }
        }
        if (from && !from.clipIds.includes(clipId)) {
          throw new ValidationError(`fromGroupId: clip "${clip.name}" is not in group "${from.name}".`, {
            field: 'fromGroupId',
          });
        }
        if (from && to && from.id === to.id) {
          const ids = from.clipIds.filter((id) => id !== clipId);
          ids.splice(Math.min(index, ids.length), 0, clipId);
          changed.push(store.setGroupClips(from.id, ids));
          return;
        }
        if (from)
          changed.push(
            store.setGroupClips(
              from.id,
              from.clipIds.filter((id) => id !== clipId),
            ),
          );
        if (to) {
          const ids = to.clipIds.filter((id) => id !== clipId);
          ids.splice(Math.min(index, ids.length), 0, clipId);
          changed.push(store.setGroupClips(to.id, ids));
        }
      });
      projectChanged(clip.projectId);
      return changed;
    },

    async 'rules.add'({ projectId, clipA, clipB }) {
      const rule = store.addRule(projectId, clipA, clipB);
      projectChanged(projectId);
      return rule;
    },
    async 'rules.remove'({ ruleId }) {
      const rule = store.removeRule(ruleId);
      projectChanged(rule.projectId);
      return { ok: true as const };
    },

    async 'plan.preview'({ projectId, limit = 50 }) {
      const d = detail(projectId);
      const { input, warnings } = planInputFor(d);
      const base = { mode: d.project.mode, seed: d.project.settings.seed };
      try {
        const plan = engine.plan(input);
        return {
          ...base,
          possible: plan.possible,
          count: plan.count,
          combinations: plan.combinations.slice(0, limit),
          totalDuration: plan.totalDuration,
          creditCost: plan.creditCost,
          warnings: [...warnings, ...countWarnings(d.project.settings.count, plan.possible, plan.count)],
        };
      } catch (error) {
        // Nothing plannable yet (empty group, too few clips): an empty preview that says why.
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_ERROR') throw error;
        return {
          ...base,
          possible: 0,
          count: 0,
          combinations: [],
          totalDuration: 0,
          creditCost: 0,
          warnings: [...warnings, error.message],
        };
      }
    },

    async 'jobs.start'({ projectId }) {
      return startJob(projectId);
    },
    async 'jobs.list'({ projectId }) {
      store.getProject(projectId);
      return store.listJobs(projectId).map((j) => ({ ...j, etaSeconds: queue.lastEta(j.id) }));
    },
    async 'jobs.get'({ jobId }) {
      return store.getJob(jobId, queue.lastEta(jobId));
    },
    async 'jobs.cancel'({ jobId }) {
      queue.cancelJob(jobId);
      return store.getJob(jobId);
    },
    async 'jobs.retryFailed'({ jobId }) {
      queue.retryFailed(jobId);
      return store.getJob(jobId, queue.lastEta(jobId));
    },

    async 'queue.state'() {
      return queue.state();
    },
    async 'queue.pause'() {
      return queue.pause();
    },
    async 'queue.resume'() {
      return queue.resume();
    },

    async 'outputs.list'(filter) {
      return store.listOutputs(filter);
    },
    async 'outputs.cancel'({ outputId }) {
      return queue.cancelOutput(outputId);
    },
    async 'outputs.retry'({ outputId }) {
      return queue.retryOutput(outputId);
    },
    async 'outputs.reveal'({ outputId }) {
      await platform.reveal(completedPath(outputId));
      return { ok: true as const };
    },
    async 'outputs.open'({ outputId }) {
      await platform.open(completedPath(outputId));
      return { ok: true as const };
    },

    async 'dialog.pickClips'() {
      return platform.pickClips();
    },
    async 'dialog.pickFolder'() {
      return platform.pickFolder();
    },
  };

  function completedPath(outputId: string): string {
    const output = store.getOutput(outputId);
    if (output.status !== 'COMPLETED' || !output.path) {
      throw new ValidationError(`Output #${output.index + 1} is ${output.status}: there is no file to show yet.`, {
        outputId,
      });
    }
    return output.path;
  }

  queue.start();
  // Imports cut short by a crash or quit: analyse those clips again, in the background.
  const interrupted = store.clipsWithStatus('analysing');
  if (interrupted.length > 0) {
    void mapLimit(interrupted, ANALYSE_CONCURRENCY, async (clip) => {
      try {
        await analyseStored(clip, clip.path);
        hub.emit({ type: 'project.changed', projectId: clip.projectId });
      } catch {
        // Closed meanwhile, or FFmpeg missing: the clip stays 'analysing' and is retried at the next start.
      }
    });
  }

  let closed = false;
  return {
    ...handlers,
    dataDir,
    store,
    queue,
    platform,
    subscribe: (listener) => hub.subscribe(listener),
    emit: hub.emit,
    settings,
    mediaDir: (projectId) => join(dataDir, 'media', projectId),
    thumbnailFile: (clipId) => {
      try {
        return store.clipThumbnail(clipId);
      } catch {
        return null;
      }
    },
    async outputThumbnailFile(outputId) {
      let output: Output;
      try {
        output = store.getOutput(outputId);
      } catch {
        return null;
      }
      if (output.status !== 'COMPLETED' || !output.path) return null;
      // The engine shares one FFmpeg run between concurrent requests for the same still.
      const options = { cacheDir: thumbsDir, key: `output-${output.id}`, duration: output.duration ?? 1 };
      return engine.thumbnail(output.path, options).catch(() => null);
    },
    outputFile: (outputId) => {
      try {
        const output = store.getOutput(outputId);
        return output.status === 'COMPLETED' ? output.path : null;
      } catch {
        return null;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue.stop();
      await renderer.close();
      store.close();
      unlock();
    },
  };
}
