import { z } from 'zod';
import { CaptionCue, FitMode, Loudness, MixMode, OutputFormat, RenderSettings, Strategy } from '../media.ts';
import {
  AppInfo,
  AppSettings,
  Clip,
  Group,
  ImportResult,
  Job,
  Output,
  OutputStatus,
  PlanPreview,
  Project,
  ProjectDetail,
  ProjectSummary,
  QueueState,
  Rule,
} from './entities.ts';
import { CreditsStatus, LicenseStatus, SyncStatus } from './licensing.ts';
import { resultsMethods } from './results.ts';
import { shareMethods } from './share.ts';

const Id = z.string().min(1).max(64);
const ProjectRef = z.object({ projectId: Id });
const Ok = z.object({ ok: z.literal(true) });
const None = z.object({}).strict();
const Name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(120, 'must be at most 120 characters')
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters (the sync server refuses them)')
  .refine(
    (s) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s),
    'must not contain a lone UTF-16 surrogate (the sync server refuses it)',
  );
const AbsolutePath = z.string().min(1).max(4096);

/** A settings change: every field optional, nested objects merged field by field. No defaults here, on purpose. */
export const RenderSettingsPatch = z
  .object({
    format: OutputFormat,
    fit: FitMode,
    strategy: Strategy,
    fps: z.number().int().min(1).max(120),
    variations: z
      .object({
        speed: z.number().min(0).max(3),
        zoom: z.number().min(0).max(4),
        color: z.number().min(0).max(3),
        mirror: z.boolean(),
      })
      .partial(),
    audio: z
      .object({
        mode: z.enum(['keep', 'mute', 'music']),
        musicPath: z.string().min(1).nullable(),
        musicVolume: z.number().min(0).max(1),
        clipVolume: z.number().min(0).max(1),
      })
      .partial(),
    /** null clears the count: every combination (capped at 500). */
    count: z.number().int().min(1).max(100_000).nullable(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    clipsPerOutput: z.number().int().min(1).max(20),
    nameTemplate: z.string().min(1).max(200),
    loudness: Loudness,
    /** Placements (shared/placements.ts): each combination once per placement; [] = the plain format. */
    placements: RenderSettings.shape.placements.unwrap(),
  })
  .partial();
export type RenderSettingsPatch = z.infer<typeof RenderSettingsPatch>;

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, description: string) {
  return { input, output, description };
}

/**
 * The whole app API: one contract for Electron IPC, the browser host's WebSocket and tests.
 * Names are "area.action"; inputs are validated on the receiving side before any handler runs.
 */
export const apiMethods = {
  'app.info': method(None, AppInfo, 'Version, platform, FFmpeg status and what this transport can do.'),
  'app.getSettings': method(None, AppSettings, 'Application settings.'),
  'app.updateSettings': method(AppSettings.partial(), AppSettings, 'Change application settings.'),

  'projects.list': method(None, z.array(ProjectSummary), 'All projects, most recently modified first.'),
  'projects.create': method(
    z.object({ name: Name, mode: MixMode.optional(), outputDir: AbsolutePath.optional() }),
    Project,
    'Create a project; manual mode starts with three groups: Hook, Body, Call to action.',
  ),
  'projects.get': method(ProjectRef, ProjectDetail, 'A project with its clips, groups and rules.'),
  'projects.update': method(
    ProjectRef.extend({
      name: Name.optional(),
      mode: MixMode.optional(),
      outputDir: AbsolutePath.optional(),
      settings: RenderSettingsPatch.optional(),
    }),
    Project,
    'Rename, switch mode, change output folder or render settings.',
  ),
  'projects.delete': method(ProjectRef, Ok, 'Delete a project and its records. Clips and rendered files stay on disk.'),

  'clips.import': method(
    ProjectRef.extend({ paths: z.array(AbsolutePath).min(1).max(5000), groupId: Id.optional() }),
    ImportResult,
    'Add files by path (referenced in place), analyse them, and optionally append them to a group.',
  ),
  'clips.remove': method(ProjectRef.extend({ clipIds: z.array(Id).min(1) }), Ok, 'Remove clips from the project.'),
  'clips.relink': method(
    z.object({ clipId: Id, path: AbsolutePath }),
    Clip,
    'Point a missing or changed clip at a file.',
  ),
  'clips.recheck': method(ProjectRef, z.array(Clip), 'Look for clips that moved or changed on disk.'),
  'clips.setCaptions': method(
    z.object({ clipId: Id, cues: z.array(CaptionCue).max(2000) }),
    Clip,
    "Replace a clip's captions (edit text and times; [] removes them). Cues past the clip's end are refused.",
  ),
  'clips.importCaptions': method(
    z.union([
      z.object({ clipId: Id, path: AbsolutePath }),
      // The browser build sends the file's text (it has no path on the host's disk).
      z.object({
        clipId: Id,
        file: z.object({ name: z.string().min(1).max(255), content: z.string().max(2_000_000) }),
      }),
    ]),
    z.object({ clip: Clip, warnings: z.array(z.string()) }),
    "Read a clip's captions from an .srt or .vtt file (replacing its cues); cues past the clip's end are cut, each cut named in `warnings`.",
  ),

  'groups.create': method(ProjectRef.extend({ name: Name }), Group, 'Add a group at the end.'),
  'groups.rename': method(z.object({ groupId: Id, name: Name }), Group, 'Rename a group.'),
  'groups.delete': method(z.object({ groupId: Id }), Ok, 'Delete a group; its clips stay in the library.'),
  'groups.reorder': method(ProjectRef.extend({ groupIds: z.array(Id).min(1) }), z.array(Group), 'Set group order.'),
  'groups.setClips': method(
    z.object({ groupId: Id, clipIds: z.array(Id) }),
    Group,
    'Replace the ordered clips of a group.',
  ),
  'groups.setHeadlines': method(
    z.object({ groupId: Id, headlines: z.array(z.string()).max(500) }),
    Group,
    "Replace a group's headline variants (one per line; blank lines dropped; [] removes them).",
  ),
  'groups.moveClip': method(
    z.object({
      clipId: Id,
      /** null: from the library (not in a group). */
      fromGroupId: Id.nullable(),
      /** null: back to the library only. */
      toGroupId: Id.nullable(),
      index: z.number().int().nonnegative(),
    }),
    z.array(Group),
    'Move a clip between groups or within one; returns the changed groups.',
  ),

  'rules.add': method(ProjectRef.extend({ clipA: Id, clipB: Id }), Rule, 'These two clips never share an output.'),
  'rules.remove': method(z.object({ ruleId: Id }), Ok, 'Remove a compatibility rule.'),

  'plan.preview': method(
    ProjectRef.extend({ limit: z.number().int().min(0).max(1000).optional() }),
    PlanPreview,
    'Plan the combinations with the current settings, without rendering.',
  ),

  'jobs.start': method(ProjectRef, Job, 'Snapshot the plan and settings and queue every output.'),
  'jobs.list': method(ProjectRef, z.array(Job), 'Jobs of a project, newest first.'),
  'jobs.get': method(z.object({ jobId: Id }), Job, 'One job.'),
  'jobs.cancel': method(z.object({ jobId: Id }), Job, 'Cancel every unfinished output of the job.'),
  'jobs.retryFailed': method(z.object({ jobId: Id }), Job, 'Queue failed and cancelled outputs again.'),

  'queue.state': method(None, QueueState, 'Is the queue paused, how much runs.'),
  'queue.pause': method(None, QueueState, 'Stop starting outputs; running ones finish.'),
  'queue.resume': method(None, QueueState, 'Start outputs again.'),

  'outputs.list': method(
    z.object({
      projectId: Id.optional(),
      jobId: Id.optional(),
      status: OutputStatus.optional(),
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    z.object({ items: z.array(Output), total: z.number().int().nonnegative() }),
    'A page of outputs in index order.',
  ),
  'outputs.cancel': method(z.object({ outputId: Id }), Output, 'Cancel one output.'),
  'outputs.retry': method(z.object({ outputId: Id }), Output, 'Queue one failed or cancelled output again.'),
  'outputs.reveal': method(z.object({ outputId: Id }), Ok, 'Show the file in the system file manager.'),
  'outputs.open': method(z.object({ outputId: Id }), Ok, 'Open the file in the default player.'),

  'license.status': method(None, LicenseStatus, 'License state of this machine, from the stored lease (no network).'),
  'license.activate': method(
    z.object({ licenseKey: z.string().trim().min(1, 'enter a license key').max(100) }),
    LicenseStatus,
    'Activate this machine with a license key; errors keep the server code (ACTIVATION_LIMIT, LICENSE_REVOKED...).',
  ),
  'license.deactivate': method(None, LicenseStatus, "Free this machine's seat on the server; the app runs unlicensed."),
  'license.setServer': method(
    z.object({ serverUrl: z.url({ protocol: /^https?$/ }).max(500) }),
    LicenseStatus,
    'Change the licensing server address (takes effect at once; VMP_SERVER_URL overrides it).',
  ),
  'credits.status': method(
    None,
    CreditsStatus,
    'Balance, holds and offline usage not yet debited (cached, no waiting).',
  ),
  'credits.refresh': method(None, CreditsStatus, 'Ask the server for the balance now and upload pending usage.'),
  'credits.checkoutUrl': method(
    z.object({ pack: z.string().min(1).max(50).default('starter') }),
    z.object({ url: z.string() }),
    'A Stripe Checkout page for a credit pack, to open in the system browser.',
  ),
  'sync.status': method(None, SyncStatus, 'Project sync state, per project, with open conflicts.'),
  'sync.now': method(None, SyncStatus, 'Push local changes and pull remote ones now.'),
  'sync.resolve': method(
    z.object({ projectId: Id, keep: z.enum(['mine', 'theirs']) }),
    SyncStatus,
    "Settle a conflict: keep this machine's version or take the other one.",
  ),

  ...resultsMethods,
  ...shareMethods,

  'dialog.pickClips': method(None, z.array(AbsolutePath), 'Native file picker (Electron only).'),
  'dialog.pickFolder': method(None, AbsolutePath.nullable(), 'Native folder picker (Electron only).'),
} as const;

export type ApiMethods = typeof apiMethods;
export type MethodName = keyof ApiMethods;
export type MethodInput<M extends MethodName> = z.input<ApiMethods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<ApiMethods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<ApiMethods[M]['output']>;

export const methodNames = Object.keys(apiMethods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(apiMethods, name);
}

/** What the renderer holds: call any method by name with a typed input and output. */
export type ApiCall = <M extends MethodName>(method: M, input: MethodInput<M>) => Promise<MethodOutput<M>>;

/** What the app core implements: each method receives already-validated input. */
export type ApiHandlers = { [M in MethodName]: (input: MethodParsedInput<M>) => Promise<MethodOutput<M>> };
