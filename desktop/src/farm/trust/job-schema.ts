import { AudioSettings, RenderSettings } from '@vmp/shared';
import { z } from 'zod';
import {
  COLOR_PRIMARIES,
  COLOR_RANGES,
  COLOR_SPACES,
  COLOR_TRANSFERS,
  FIELD_ORDERS,
} from '../../engine/colour/tags.ts';
import { CONTENT_HASH_PATTERN } from '../../engine/hash/content-hash.ts';
import { FARM_PAYLOAD_VERSION } from '../payload.ts';

/**
 * The farm job as a worker accepts it: every field that can reach an FFmpeg argument, a file name or a cache key
 * is an enum, a number in range, a hash, a path (checked against the roots later) or text with no control
 * characters (drawn through libass, escaped there). Unknown keys at the top are refused (a job of another shape is
 * not rendered); unknown keys inside are dropped, so they never reach the renderer.
 */

// C0 and C1 controls and DEL: never in a name, path or line of text (NUL cuts strings short in C code).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Captions may break lines; nothing else.
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters');

/** An absolute path as the submitter names it (POSIX, drive letter or UNC). */
const SubmittedPath = text(4096)
  .min(1)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'must be an absolute path');

/** A bare file name: no folder, not hidden (the staging folder is hidden), not "." or "..". */
const FileName = text(255)
  .min(1)
  .refine((n) => !/[\\/]/.test(n) && !n.startsWith('.'), 'must be a file name without folders, not starting with "."');

/** A codec, pixel format or container name as ffprobe prints it ("h264", "yuv420p10le", "mov,mp4,m4a"). */
const FfName = z.string().regex(/^[A-Za-z0-9_]{1,32}$/, 'must be an FFmpeg name');
/** ffprobe names a container by its demuxer's aliases, comma-separated. */
const FfNames = z.string().regex(/^[A-Za-z0-9_]{1,32}(,[A-Za-z0-9_]{1,32}){0,8}$/, 'must be FFmpeg names');
const seconds = z
  .number()
  .min(-86_400)
  .max(7 * 86_400);
const pixels = z.number().int().min(0).max(32_768);

export const StrictMediaInfo = z.object({
  container: FfNames,
  duration: z
    .number()
    .nonnegative()
    .max(7 * 86_400),
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  video: z
    .object({
      codec: FfName,
      codedWidth: pixels,
      codedHeight: pixels,
      width: pixels,
      height: pixels,
      rotation: z.number().int().min(-360).max(360),
      sar: z.string().regex(/^\d{1,6}:\d{1,6}$/, 'must look like 1:1'),
      fps: z.number().min(0).max(1000),
      vfr: z.boolean(),
      pixFmt: FfName,
      frames: z.number().int().nonnegative().max(1e9).optional(),
      colorSpace: z.enum(COLOR_SPACES).optional(),
      colorTransfer: z.enum(COLOR_TRANSFERS).optional(),
      colorPrimaries: z.enum(COLOR_PRIMARIES).optional(),
      colorRange: z.enum(COLOR_RANGES).optional(),
      fieldOrder: z.enum(FIELD_ORDERS).optional(),
      startTime: seconds.optional(),
    })
    .nullable(),
  audio: z
    .object({
      codec: FfName,
      channels: z.number().int().min(0).max(64),
      sampleRate: z.number().int().min(0).max(768_000),
      duration: seconds.optional(),
      startTime: seconds.optional(),
    })
    .nullable(),
});

const StrictCue = z
  .object({
    start: z
      .number()
      .nonnegative()
      .max(7 * 86_400),
    end: z
      .number()
      .positive()
      .max(7 * 86_400),
    text: z
      .string()
      .min(1)
      .max(500)
      .refine((s) => !CONTROL_BUT_NEWLINE.test(s), 'must not contain control characters'),
  })
  .refine((cue) => cue.end > cue.start, { message: 'must end after it starts', path: ['end'] });

export const StrictFarmSource = z.object({
  id: text(4096).min(1),
  path: SubmittedPath,
  hash: z.string().regex(CONTENT_HASH_PATTERN, 'must be a content hash (64 hex digits)'),
  info: StrictMediaInfo,
  captions: z.array(StrictCue).max(10_000).optional(),
});

/** The render settings, their enums and ranges as the app has them, plus no control characters in any text. */
const StrictSettings = RenderSettings.extend({
  nameTemplate: text(200).min(1),
  watermark: text(80).nullish(),
  audio: AudioSettings.extend({ musicPath: SubmittedPath.optional() }),
});

/** One output's render spec (engine/render/spec.ts) with every value checked. */
export const StrictRenderSpec = z
  .object({
    projectName: text(200),
    combination: z.object({
      index: z.number().int().nonnegative().max(10_000_000),
      clipIds: z.array(text(4096).min(1)).min(1).max(100),
      headlines: z.array(text(500).nullable()).max(100).optional(),
    }),
    sources: z.array(StrictFarmSource).min(1).max(100),
    settings: StrictSettings,
    outDir: SubmittedPath,
    fileName: FileName,
    createdAt: z.iso.datetime().optional(),
  })
  .superRefine((spec, ctx) => {
    const ids = new Set(spec.sources.map((s) => s.id));
    spec.combination.clipIds.forEach((id, j) => {
      if (!ids.has(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['combination', 'clipIds', j],
          message: 'names a clip the spec does not carry',
        });
      }
    });
  });

export const StrictFarmBatch = z
  .strictObject({
    version: z.literal(FARM_PAYLOAD_VERSION),
    runId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a run id'),
    outDir: SubmittedPath,
    createdAt: z.iso.datetime(),
    specs: z.array(StrictRenderSpec).min(1).max(10_000),
    submitter: text(300),
    storage: z
      .strictObject({
        url: text(1100).regex(/^(s3|file):\/\/[^@\s]+$/, 'must be an s3:// or file:// URL without credentials'),
        files: z
          .array(
            z.strictObject({
              path: SubmittedPath,
              hash: z.string().regex(CONTENT_HASH_PATTERN, 'must be a content hash (64 hex digits)'),
            }),
          )
          .min(1)
          .max(10_000),
      })
      .optional(),
  })
  .refine((b) => b.specs.every((s) => s.outDir === b.outDir && s.createdAt === b.createdAt), {
    message: "every spec must name the batch's output folder and creation time",
    path: ['specs'],
  })
  .refine(
    (b) => {
      if (!b.storage) return true;
      const files = new Map(b.storage.files.map((f) => [f.path, f.hash]));
      return b.specs.every(
        (s) =>
          s.sources.every((c) => files.get(c.path) === c.hash) &&
          (!s.settings.audio.musicPath || files.has(s.settings.audio.musicPath)),
      );
    },
    { message: 'every clip and music file must be among the storage files, with the same hash', path: ['storage'] },
  );
export type StrictFarmBatch = z.infer<typeof StrictFarmBatch>;
