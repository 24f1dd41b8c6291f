import { z } from 'zod';
import { PlacementName } from './placement-names.ts';

/** Output aspect formats and their canvas sizes. One place: the engine, the UI and the CLI read this. */
export const OUTPUT_FORMATS = {
  '9:16': { width: 1080, height: 1920, label: 'Vertical 9:16 (Reels, TikTok, Shorts)' },
  '1:1': { width: 1080, height: 1080, label: 'Square 1:1 (feed)' },
  '4:5': { width: 1080, height: 1350, label: 'Portrait 4:5 (feed)' },
  '16:9': { width: 1920, height: 1080, label: 'Landscape 16:9 (YouTube)' },
} as const;

export const OutputFormat = z.enum(['9:16', '1:1', '4:5', '16:9']);
export type OutputFormat = z.infer<typeof OutputFormat>;

/** cover: fill and crop; contain: letterbox with black bars; blur: contain over a blurred, zoomed copy. */
export const FitMode = z.enum(['cover', 'contain', 'blur']);
export type FitMode = z.infer<typeof FitMode>;

/** fast: normalise each clip once, assemble outputs without re-encoding video. unique: one re-encode per output with micro-variations. */
export const Strategy = z.enum(['fast', 'unique']);
export type Strategy = z.infer<typeof Strategy>;

/** manual: ordered groups, one clip from each; auto: K clips from one pool. */
export const MixMode = z.enum(['manual', 'auto']);
export type MixMode = z.infer<typeof MixMode>;

export const Variations = z.object({
  /** Max playback speed change, percent (0–3). */
  speed: z.number().min(0).max(3).default(3),
  /** Max zoom-in, percent (0–4). */
  zoom: z.number().min(0).max(4).default(4),
  /** Max brightness/contrast/saturation change, percent (0–3). */
  color: z.number().min(0).max(3).default(3),
  /** Mirror some outputs horizontally. */
  mirror: z.boolean().default(false),
});
export type Variations = z.infer<typeof Variations>;

export const AudioSettings = z.object({
  /** keep: clips' own audio; mute: silent track; music: background music mixed under (or replacing) clip audio. */
  mode: z.enum(['keep', 'mute', 'music']).default('keep'),
  musicPath: z.string().min(1).optional(),
  /** 0–1 gain of the music track. */
  musicVolume: z.number().min(0).max(1).default(0.3),
  /** 0–1 gain of the clips' own audio when music plays. */
  clipVolume: z.number().min(0).max(1).default(1),
});
export type AudioSettings = z.infer<typeof AudioSettings>;

export const Loudness = z.enum(['normalize', 'off']);
export type Loudness = z.infer<typeof Loudness>;

/** `{codes}` is the ad's component codes (H3-B1-C2-T1); `{placement}` the placement, or the format (9x16) without one. */
export const DEFAULT_NAME_TEMPLATE = '{project}_{codes}_{placement}';

/** One caption: shown from `start` to `end` seconds of its clip. */
export const CaptionCue = z
  .object({
    start: z.number().nonnegative(),
    end: z.number().positive(),
    text: z.string().trim().min(1).max(500),
  })
  .refine((cue) => cue.end > cue.start, { message: 'A cue must end after it starts.', path: ['end'] });
export type CaptionCue = z.infer<typeof CaptionCue>;

/** Where text sits: always inside the format's safe zone (clear of the platforms' buttons). */
export const TextPosition = z.enum(['top', 'middle', 'lower']);
export type TextPosition = z.infer<typeof TextPosition>;

const HexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #FFFFFF.');

export const TextStyle = z.object({
  position: TextPosition,
  /** Font size as a percentage of the canvas width (so 9:16 and 16:9 text reads alike on a phone). */
  size: z.number().min(2).max(12),
  colour: HexColour.default('#FFFFFF'),
  /** Outline, or the box behind the text when `box` is on. */
  outlineColour: HexColour.default('#000000'),
  /** true: a dark box behind the text; false: an outline with a soft shadow. */
  box: z.boolean().default(false),
});
export type TextStyle = z.infer<typeof TextStyle>;

export const DEFAULT_CAPTION_STYLE: TextStyle = {
  position: 'lower',
  size: 6,
  colour: '#FFFFFF',
  outlineColour: '#000000',
  box: false,
};
export const DEFAULT_HEADLINE_STYLE: TextStyle = {
  position: 'top',
  size: 7,
  colour: '#FFFFFF',
  outlineColour: '#000000',
  box: true,
};

export const RenderSettings = z.object({
  format: OutputFormat.default('9:16'),
  /**
   * Placements (shared/placements.ts): each combination is rendered once per placement, in its canvas and safe
   * zone; empty: one output per combination in `format`.
   */
  placements: z.array(PlacementName).default([]),
  fit: FitMode.default('cover'),
  strategy: Strategy.default('fast'),
  fps: z.number().int().min(1).max(120).default(30),
  variations: Variations.default({ speed: 3, zoom: 4, color: 3, mirror: false }),
  audio: AudioSettings.default({ mode: 'keep', musicVolume: 0.3, clipVolume: 1 }),
  /** Outputs wanted; undefined means every combination (capped at 500 unless set). */
  count: z.number().int().min(1).max(100_000).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  /** Auto mode: clips per output. */
  clipsPerOutput: z.number().int().min(1).max(20).default(3),
  /** Placeholders: {project} {index} {clips} {seed} {format} {text} (the output's headline). */
  nameTemplate: z.string().min(1).max(200).default(DEFAULT_NAME_TEMPLATE),
  /** Burned-in captions (cues of each clip's subtitle file). */
  captionStyle: TextStyle.default(DEFAULT_CAPTION_STYLE),
  /** Headline variants (one headline over its group's clip). */
  headlineStyle: TextStyle.default(DEFAULT_HEADLINE_STYLE),
  /**
   * License watermark: this text burned small in a bottom corner inside the safe zone of every output;
   * absent or null: none. Set by the licensing code, not by the user.
   */
  watermark: z.string().trim().min(1).max(80).nullish(),
  /** normalize: every clip brought to one loudness (outputs at −14 LUFS, true peak ≤ −1 dBTP); off: as recorded. */
  loudness: Loudness.default('normalize'),
});
export type RenderSettings = z.infer<typeof RenderSettings>;
export type RenderSettingsInput = z.input<typeof RenderSettings>;

export const DEFAULT_COUNT_CAP = 500;

/** What ffprobe tells about a file, normalised. Width/height are as displayed (after rotation and SAR). */
export const MediaInfo = z.object({
  container: z.string(),
  duration: z.number().nonnegative(),
  size: z.number().int().nonnegative(),
  video: z
    .object({
      codec: z.string(),
      /** Stored pixel size. */
      codedWidth: z.number().int(),
      codedHeight: z.number().int(),
      /** Displayed size after rotation and sample aspect ratio. */
      width: z.number().int(),
      height: z.number().int(),
      rotation: z.number().int(),
      sar: z.string(),
      fps: z.number(),
      vfr: z.boolean(),
      pixFmt: z.string(),
      frames: z.number().int().optional(),
      /** ffprobe's colour tags (e.g. bt2020nc, arib-std-b67, bt2020, tv); absent when the stream does not say. */
      colorSpace: z.string().optional(),
      colorTransfer: z.string().optional(),
      colorPrimaries: z.string().optional(),
      colorRange: z.string().optional(),
      /** progressive, tt, bb, tb, bt; absent when unknown. */
      fieldOrder: z.string().optional(),
      /** Seconds the first frame is presented at (container start time, edit lists applied). */
      startTime: z.number().optional(),
    })
    .nullable(),
  audio: z
    .object({
      codec: z.string(),
      channels: z.number().int(),
      sampleRate: z.number().int(),
      duration: z.number().optional(),
      /** Seconds the first sample is presented at (container start time, edit lists applied). */
      startTime: z.number().optional(),
    })
    .nullable(),
});
export type MediaInfo = z.infer<typeof MediaInfo>;

/** Why a file cannot be mixed, in words a user understands. `code` is stable for programs. */
export const ClipProblem = z.object({
  code: z.enum([
    'NOT_A_VIDEO',
    'AUDIO_ONLY',
    'STILL_IMAGE',
    'EMPTY_FILE',
    'UNDECODABLE',
    'TOO_SHORT',
    'TOO_LARGE',
    'MISSING',
    'CHANGED',
    'HDR_UNSUPPORTED',
  ]),
  message: z.string(),
});
export type ClipProblem = z.infer<typeof ClipProblem>;

/** One planned output: clip ids in play order. */
export const Combination = z.object({
  index: z.number().int().nonnegative(),
  clipIds: z.array(z.string()).min(1),
  /** Headline shown over each clip (same positions as clipIds; null: none). Absent: no headlines. */
  headlines: z.array(z.string().nullable()).optional(),
  /** The placement this output is made for (its canvas, fps and safe zone); absent: the settings' plain format. */
  placement: PlacementName.optional(),
  /** With placements: the index of the planned combination this output is one placement of (its ad). */
  ad: z.number().int().nonnegative().optional(),
});
export type Combination = z.infer<typeof Combination>;

export const PlanSummary = z.object({
  mode: MixMode,
  /** How many distinct combinations exist (may exceed Number.MAX_SAFE_INTEGER: then it is approximate). */
  possible: z.number(),
  count: z.number().int().nonnegative(),
  seed: z.number().int(),
  combinations: z.array(Combination),
  /** Sum of output durations in seconds (before speed variations). */
  totalDuration: z.number().nonnegative(),
  creditCost: z.number().int().nonnegative(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

/** Pricing lives here so the app's preview and the server's debit agree. */
export const CREDITS_PER_OUTPUT = 1;
export function creditCost(outputs: number): number {
  return outputs * CREDITS_PER_OUTPUT;
}
