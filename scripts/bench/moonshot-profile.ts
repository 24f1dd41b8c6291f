// Per-process accounting for the moonshot bench: FFMPEG_PATH / FFPROBE_PATH point at wrappers that run the real
// tool under GNU time, which writes each process's user+system CPU, wall and command line to a file of its own;
// the bench classifies every process by what its arguments do.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ProcessRecord {
  tool: 'ffmpeg' | 'ffprobe';
  cpu: number;
  wall: number;
  /** Unix seconds when it ended. */
  end: number;
  command: string;
}

export type Phase = 'probe/check' | 'loudness measure' | 'normalise' | 'assemble' | 'other';

function realTool(name: string): string {
  return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
}

/** Writes `ffmpeg` and `ffprobe` wrappers into `dir`; returns the env that makes the app use them. */
export async function installWrappers(dir: string, logDir: string): Promise<Record<string, string>> {
  await rm(logDir, { recursive: true, force: true });
  await mkdir(logDir, { recursive: true });
  await mkdir(dir, { recursive: true });
  for (const tool of ['ffmpeg', 'ffprobe']) {
    const real = realTool(tool);
    // bash for $EPOCHREALTIME (no extra process for the end time); GNU time's %C is the command line.
    const script = `#!/bin/bash
/usr/bin/time -o "${logDir}/${tool}-$$.t" -f '%U %S %e %C' "${real}" "$@"
rc=$?
printf 'END %s\\n' "$EPOCHREALTIME" >> "${logDir}/${tool}-$$.t"
exit $rc
`;
    await writeFile(join(dir, tool), script);
    await chmod(join(dir, tool), 0o755);
  }
  return { FFMPEG_PATH: join(dir, 'ffmpeg'), FFPROBE_PATH: join(dir, 'ffprobe') };
}

export async function readRecords(logDir: string): Promise<ProcessRecord[]> {
  const records: ProcessRecord[] = [];
  for (const file of await readdir(logDir)) {
    const text = await readFile(join(logDir, file), 'utf8');
    const line = text.split('\n').find((l) => /^\d+\.\d+ \d+\.\d+ \d+\.\d+ /.test(l));
    const end = /^END (\d+[.,]\d+)/m.exec(text)?.[1];
    if (!line) continue;
    const [user, sys, wall, ...rest] = line.split(' ');
    records.push({
      tool: file.startsWith('ffprobe') ? 'ffprobe' : 'ffmpeg',
      cpu: Number(user) + Number(sys),
      wall: Number(wall),
      end: end ? Number(end.replace(',', '.')) : 0,
      command: rest.join(' '),
    });
  }
  return records;
}

/** What a process did, from its arguments (the engine's commands: probe, decode check, ebur128, normalise, concat). */
export function phaseOf(r: ProcessRecord, cacheDir: string): Phase {
  if (r.tool === 'ffprobe') return 'probe/check';
  if (r.command.includes('-f framecrc') || r.command.includes('-version')) return 'probe/check';
  if (r.command.includes('ebur128')) return 'loudness measure';
  if (r.command.includes('-f concat')) return 'assemble';
  if (r.command.includes(cacheDir)) return 'normalise';
  return 'other';
}

/** The last argument of a command line: the output file of the engine's single-output commands. */
export function outputOf(r: ProcessRecord): string {
  const parts = r.command.trim().split(' ');
  return parts[parts.length - 1] ?? '';
}

/** Self CPU (user+system, children excluded) of a process, in seconds, from /proc; null once it is gone. */
export function selfCpu(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
