import { resolve } from 'node:path';
import type { ClipAnalysis } from '../engine/validate/analyse.ts';
import { analyseFiles } from './analyse-files.ts';
import { type CliCommand, EXIT_OK, EXIT_USAGE, parseOrUsage, UsageError } from './command.ts';

const USAGE = `Usage: vmp probe <file...> [--json]

Shows what each file holds (duration, size, frame rate, codecs, audio) and why a file cannot be mixed.
  --json   one JSON array on stdout: [{path, size, hash, info, problems}]
Exit code: 0 when every file can be mixed, 2 when any cannot (or on bad usage).`;

function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** One row per file; columns padded to the widest cell. Problems follow on their own indented line. */
export function probeTable(results: readonly ClipAnalysis[], cwd = process.cwd()): string {
  const header = ['FILE', 'DURATION', 'SIZE', 'FRAME', 'FPS', 'VIDEO', 'AUDIO', 'STATUS'];
  const rows = results.map((r) => {
    const display = r.path.startsWith(`${cwd}/`) ? r.path.slice(cwd.length + 1) : r.path;
    const v = r.info?.video;
    const a = r.info?.audio;
    const frame = v
      ? `${v.width}x${v.height}${v.rotation ? ` (rot ${v.rotation})` : ''}${v.sar !== '1:1' ? ` sar ${v.sar}` : ''}`
      : '-';
    const fps = v ? `${v.fps.toFixed(v.fps % 1 ? 2 : 0)}${v.vfr ? ' VFR' : ''}` : '-';
    return [
      display,
      r.info ? `${r.info.duration.toFixed(2)}s` : '-',
      r.size ? formatSize(r.size) : '-',
      frame,
      fps,
      v ? `${v.codec} ${v.pixFmt}` : '-',
      a ? `${a.codec} ${a.channels}ch ${a.sampleRate}Hz` : 'none',
      r.problems.length ? r.problems.map((p) => p.code).join(',') : 'ok',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header)];
  results.forEach((r, i) => {
    out.push(line(rows[i]!));
    for (const p of r.problems) out.push(`    ${p.message}`);
  });
  return `${out.join('\n')}\n`;
}

export const probeCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    const parsed = parseOrUsage({ args, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
    if (parsed.positionals.length === 0) throw new UsageError('Give at least one file to probe.');
    const paths = parsed.positionals.map((p) => resolve(p));
    const results = await analyseFiles(paths, { signal: io.signal });
    if (parsed.values.json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else io.stdout.write(probeTable(results));
    return results.some((r) => r.problems.length > 0) ? EXIT_USAGE : EXIT_OK;
  },
};
