import { basename } from 'node:path';
import type { CaptionCue } from '@vmp/shared';
import { TextFileError } from './errors.ts';

/** `00:01:02,500` (SRT) or `01:02.500` / `00:01:02.500` (VTT) → seconds; undefined when malformed. */
export function parseTimestamp(raw: string): number | undefined {
  const m = /^(?:(\d{1,3}):)?([0-5]?\d):([0-5]\d)[.,](\d{1,3})$/.exec(raw.trim());
  if (!m) return undefined;
  const [, h, min, s, frac] = m;
  return Number(h ?? 0) * 3600 + Number(min) * 60 + Number(s) + Number(frac!.padEnd(3, '0')) / 1000;
}

/** Strips the markup captions files carry (<i>, <b>, <c.x>, <v Name>, {\an8}): we draw plain text. */
function plainText(lines: readonly string[]): string {
  return lines
    .map((l) =>
      l
        .replace(/<[^>]*>/g, '')
        .replace(/\{\\[^}]*\}/g, '')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&nbsp;/g, '\u00a0')
        .trim(),
    )
    .filter((l) => l.length > 0)
    .join('\n');
}

interface Block {
  /** 1-based line number of the block's first line. */
  line: number;
  lines: string[];
}

function blocks(content: string): Block[] {
  const lines = content.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: Block[] = [];
  let current: Block | undefined;
  lines.forEach((text, i) => {
    if (text.trim() === '') {
      current = undefined;
      return;
    }
    if (!current) {
      current = { line: i + 1, lines: [] };
      out.push(current);
    }
    current.lines.push(text);
  });
  return out;
}

const ARROW = /^\s*(\S+)\s+-->\s+(\S+)(?:\s+.*)?$/;

function timing(file: string, line: number, text: string): { start: number; end: number } {
  const m = ARROW.exec(text);
  if (!m) {
    throw new TextFileError(
      file,
      line,
      `expected a timing line like "00:00:01,000 --> 00:00:02,500", found "${text.trim()}".`,
    );
  }
  const start = parseTimestamp(m[1]!);
  const end = parseTimestamp(m[2]!);
  if (start === undefined || end === undefined) {
    throw new TextFileError(file, line, `"${text.trim()}" has a malformed time (use hh:mm:ss,mmm).`);
  }
  if (end <= start) throw new TextFileError(file, line, `the cue ends (${m[2]}) before or when it starts (${m[1]}).`);
  return { start, end };
}

/** The block's cue; its timing is the first or second line (an index or id may come first). */
function cueFrom(file: string, block: Block, example: string): CaptionCue | undefined {
  const timingAt = block.lines.findIndex((l) => l.includes('-->'));
  if (timingAt < 0 || timingAt > 1) {
    throw new TextFileError(file, block.line, `a cue needs a timing line like "${example}".`);
  }
  const { start, end } = timing(file, block.line + timingAt, block.lines[timingAt]!);
  const text = plainText(block.lines.slice(timingAt + 1));
  if (!text) return undefined;
  return { start, end, text };
}

/** SubRip: blocks of [index], timing, text lines. */
export function parseSrt(content: string, file = 'captions.srt'): CaptionCue[] {
  const cues: CaptionCue[] = [];
  for (const block of blocks(content)) {
    // The index line is optional in the wild.
    const cue = cueFrom(file, block, '00:00:01,000 --> 00:00:02,500');
    if (cue) cues.push(cue);
  }
  return cues;
}

/** WebVTT: a WEBVTT header, then cues ([id], timing [settings], text); NOTE/STYLE/REGION blocks are skipped. */
export function parseVtt(content: string, file = 'captions.vtt'): CaptionCue[] {
  const all = blocks(content);
  const header = all[0];
  if (!header || !/^WEBVTT(\s|$)/.test(header.lines[0]!)) {
    throw new TextFileError(file, header?.line ?? 1, 'a WebVTT file must start with "WEBVTT".');
  }
  const cues: CaptionCue[] = [];
  for (const block of all.slice(1)) {
    if (/^(NOTE|STYLE|REGION)(\s|$)/.test(block.lines[0]!)) continue;
    const cue = cueFrom(file, block, '00:01.000 --> 00:02.500');
    if (cue) cues.push(cue);
  }
  return cues;
}

/** By extension (.srt or .vtt). `file` names the file in errors. */
export function parseCaptions(content: string, file: string): CaptionCue[] {
  return file.toLowerCase().endsWith('.vtt') ? parseVtt(content, file) : parseSrt(content, file);
}

function clock(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = (ms / 1000) % 60;
  return `${h ? `${h}:` : ''}${String(m).padStart(h ? 2 : 1, '0')}:${s.toFixed(3).padStart(6, '0')}`;
}

/**
 * Cues fitted to a clip of `duration` seconds: one running past the end is cut there, one starting after the end
 * is dropped; each change comes back as a warning naming the file, so nothing is lost silently.
 */
export function fitCuesToClip(
  cues: readonly CaptionCue[],
  duration: number,
  file: string,
): { cues: CaptionCue[]; warnings: string[] } {
  const kept: CaptionCue[] = [];
  const warnings: string[] = [];
  const name = basename(file);
  for (const cue of cues) {
    if (cue.start >= duration) {
      warnings.push(
        `${name}: the cue at ${clock(cue.start)} ("${cue.text.split('\n')[0]}") starts after the clip ends (${clock(duration)}); it is left out.`,
      );
    } else if (cue.end > duration) {
      warnings.push(
        `${name}: the cue at ${clock(cue.start)} ("${cue.text.split('\n')[0]}") runs past the clip's end (${clock(duration)}); it is cut there.`,
      );
      kept.push({ ...cue, end: duration });
    } else {
      kept.push(cue);
    }
  }
  return { cues: kept, warnings };
}
