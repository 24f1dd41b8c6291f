import { access, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PLACEMENT_NAMES, type Preflight, parsePlacements } from '@vmp/shared';
import { type DrawnBox, preflight } from '../engine/preflight/index.ts';
import { type CliCommand, EXIT_FAILURE, EXIT_OK, parseOrUsage, UsageError } from './command.ts';

const USAGE = `Usage: vmp check <file...> --platform <name> [--json]

Checks delivered videos against what a placement accepts: duration, canvas, constant frame rate, H.264 High yuv420p,
AAC-LC 48 kHz stereo >= 128 kb/s, moov at the front, file size, loudness (-14 LUFS +/- 1, true peak <= -1 dBTP) and,
when the file's manifest.json records the text drawn, that text stays inside the placement's safe zone.
  --platform <name>  one of: ${PLACEMENT_NAMES.join(', ')}
  --json             one JSON array on stdout: [{file, preflight: {placement, ok, problems, skipped}}]
Exit code: 0 when every file passes, 1 when any fails, 2 on bad usage.`;

/** The text boxes recorded for `file` in the manifest.json beside it; undefined when there is no record. */
export async function recordedBoxes(file: string): Promise<DrawnBox[] | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(dirname(file), 'manifest.json'), 'utf8')) as {
      outputs?: { file?: string; textBoxes?: DrawnBox[] }[];
    };
    return manifest.outputs?.find((o) => o.file === basename(file))?.textBoxes;
  } catch {
    return undefined;
  }
}

export function checkReport(results: readonly { file: string; preflight: Preflight }[]): string {
  const out: string[] = [];
  for (const { file, preflight: p } of results) {
    out.push(`${p.ok ? 'PASS' : 'FAIL'}  ${file}  (${p.placement})`);
    for (const problem of p.problems) {
      out.push(
        `      ${problem.rule}: ${problem.message} [value ${problem.value ?? '-'}, limit ${problem.limit ?? '-'}]`,
      );
    }
    for (const s of p.skipped) out.push(`      ${s.rule} not checked: ${s.reason}`);
  }
  const failed = results.filter((r) => !r.preflight.ok).length;
  out.push(failed ? `${failed} of ${results.length} file(s) failed.` : `All ${results.length} file(s) passed.`);
  return `${out.join('\n')}\n`;
}

export const checkCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    const parsed = parseOrUsage({
      args,
      allowPositionals: true,
      strict: true,
      options: { platform: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (parsed.positionals.length === 0) throw new UsageError('Give at least one file to check.');
    if (!parsed.values.platform) throw new UsageError(`Give --platform: one of ${PLACEMENT_NAMES.join(', ')}.`);
    const placements = parsePlacements(parsed.values.platform);
    if (placements.length !== 1) throw new UsageError('Check against one placement at a time.');
    const placement = placements[0]!;
    const files = parsed.positionals.map((p) => resolve(p));
    for (const file of files) {
      await access(file).catch(() => {
        throw new UsageError(`${file}: no such file.`);
      });
    }
    const results: { file: string; preflight: Preflight }[] = [];
    for (const file of files) {
      const boxes = await recordedBoxes(file);
      results.push({
        file,
        preflight: await preflight(file, placement, { signal: io.signal, ...(boxes ? { boxes } : {}) }),
      });
    }
    if (parsed.values.json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else io.stdout.write(checkReport(results));
    return results.every((r) => r.preflight.ok) ? EXIT_OK : EXIT_FAILURE;
  },
};
