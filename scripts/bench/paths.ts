// `npm run bench -- --paths`: the app's path against the CLI's on the same warm cache (issue #22, "App path = CLI
// path"). The same 64 outputs (12 sources of 3-5 s, 1080p-class, in 3 groups of 4) through `jobs.start` on a real
// core (SQLite, queue, pool, worker threads; what the host runs) and through `vmp mix` (a child process, start-up
// included), each twice, interleaved; then, per output of the same files, two baselines run one process per
// output, two at once (as the pool runs FFmpeg): a bare `-c copy` remux, and a remux that copies the video and
// encodes the audio with the outputs' own AAC settings (AUDIO_OUTPUT_ARGS; its input is AAC, so it also decodes
// AAC where assembly reads PCM). CPU is this process plus its children (FFmpeg, `vmp mix`); wall moves with load.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { runFfmpeg } from '../../desktop/src/engine/ffmpeg/run.ts';
import { DEFAULT_CONCURRENCY } from '../../desktop/src/engine/pool/pool.ts';
import { AUDIO_OUTPUT_ARGS, OUTPUT_CONTAINER_ARGS } from '../../desktop/src/engine/profiles/profile.ts';
import { mapLimit } from '../../desktop/src/util/map-limit.ts';
import { makeClip } from '../../desktop/test/fixtures/media.ts';
import { appBench } from './app-queue.ts';
import { selfCpu } from './moonshot-profile.ts';
import { measured } from './report.ts';

const KINDS = [
  { width: 1080, height: 1920, fps: 30 },
  { width: 720, height: 1280, fps: 25 },
  { width: 1920, height: 1080, fps: 60 },
  { width: 1080, height: 1920, fps: 30, audio: false as const },
];
const DURATIONS = [4, 3, 5, 3.5, 4.5, 3];

/** Per-output figures of one way of making the outputs. */
interface Line {
  wall: number;
  cpu: number;
  /** JavaScript's share (vmp's or the core's own threads), when known. */
  js?: number;
  processes: number;
}

/** CPU-s of this process (all its threads) and of its waited-for children, from /proc/self/stat. */
function cpuSplit(): { self: number; children: number } {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const n = (i: number) => Number(fields[i]) / 100;
  return { self: n(11) + n(12), children: n(13) + n(14) };
}

async function makeFolder(root: string): Promise<string[][]> {
  const groups: string[][] = [];
  for (let g = 0; g < 3; g++) {
    const dir = join(root, `${g + 1}-group`);
    const group: string[] = [];
    for (let k = 0; k < 4; k++) {
      const kind = KINDS[k]!;
      const name = `g${g + 1}-${k + 1}`;
      const file = join(dir, `${name}.mp4`);
      const spec = {
        width: kind.width,
        height: kind.height,
        fps: kind.fps,
        duration: DURATIONS[(g * 4 + k) % DURATIONS.length]!,
        audio: kind.audio === false ? (false as const) : { frequency: 300 + 100 * (g * 4 + k) },
      };
      const have = await readdir(dir).catch(() => [] as string[]);
      group.push(have.includes(`${name}.mp4`) ? file : await makeClip(dir, name, spec));
    }
    groups.push(group);
  }
  return groups;
}

/** `vmp mix` as a child process: wall, CPU (its children counters), its own CPU (sampled) and FFmpeg commands. */
function vmpMix(args: string[], env: NodeJS.ProcessEnv): Promise<{ line: Line; outputs: string[] }> {
  return new Promise((done, fail) => {
    const before = cpuSplit().children;
    const t0 = performance.now();
    const child = spawn(process.execPath, [resolve('desktop/bin/vmp.mjs'), 'mix', ...args, '--json'], {
      env: { ...env, VMP_LOG_FFMPEG: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let own = 0;
    const timer = setInterval(() => {
      own = (child.pid && selfCpu(child.pid)) || own;
    }, 100);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) return fail(new Error(`vmp mix exited ${code}: ${stderr.slice(-2000)}`));
      const report = JSON.parse(stdout) as { outputs: { path: string }[]; failed?: unknown[] };
      const n = report.outputs.length;
      if (report.failed?.length) return fail(new Error(`vmp mix: ${report.failed.length} outputs failed`));
      const processes = stderr.split('\n').filter((l) => l.startsWith('[ffmpeg] ')).length;
      const wall = (performance.now() - t0) / 1000;
      const cpu = cpuSplit().children - before;
      done({
        line: { wall: wall / n, cpu: cpu / n, js: own / n, processes: processes / n },
        outputs: report.outputs.map((o) => o.path),
      });
    });
  });
}

const f3 = (n: number) => n.toFixed(3);
const show = (l: Line) =>
  `${f3(l.wall)} s wall, ${f3(l.cpu)} CPU-s${l.js === undefined ? '' : ` (JavaScript ${f3(l.js)})`}, ${l.processes.toFixed(3)} FFmpeg/ffprobe processes`;

export async function paths(outputs = 64): Promise<void> {
  const work = resolve('bench-work', 'paths');
  const cores = availableParallelism();
  console.log(
    `App path against CLI path: ${outputs} outputs, warm cache, ${cores} cores, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const folder = join(work, 'project');
  const groups = await makeFolder(folder);
  const dataDir = join(work, 'app');
  // A new database and outputs each run; the cache (intermediates, loudness, analysis) is kept: it is warmed below
  // either way, and a cold job costs minutes here.
  for (const entry of await readdir(dataDir).catch(() => [] as string[])) {
    if (entry !== 'cache') await rm(join(dataDir, entry), { recursive: true, force: true });
  }
  const cacheDir = join(dataDir, 'cache');
  const commandLog = join(work, 'app-commands.log');
  await rm(commandLog, { force: true });
  const commands = () => {
    try {
      return readFileSync(commandLog, 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  const app = await appBench({
    dataDir,
    groups: groups.map((g) => g.map((path) => ({ path }))),
    count: outputs,
    concurrency: DEFAULT_CONCURRENCY,
    commandLog,
  });
  const env = { ...process.env, VMP_DATA_DIR: join(work, 'cli-data') };
  const mixArgs = (out: string) => [folder, '--out', out, '--cache-dir', cacheDir, '--count', String(outputs)];
  try {
    // Untimed: the app's first job fills the cache; the CLI's first run fills its analysis cache.
    await app.renderJob();
    await vmpMix(mixArgs(join(work, 'cli-out-0')), env);
    const appLines: Line[] = [];
    const cliLines: Line[] = [];
    let files: string[] = [];
    for (let round = 1; round <= 2; round++) {
      const before = { ...cpuSplit(), commands: commands() };
      // The earlier jobs' files removed first: like vmp mix's fresh --out, no output borrows an earlier one's audio.
      const job = await app.renderJob(false);
      const after = cpuSplit();
      const n = job.value;
      appLines.push({
        wall: job.ms / 1000 / n,
        cpu: (job.cpu ?? Number.NaN) / 1000 / n,
        js: (after.self - before.self) / n,
        processes: (commands() - before.commands) / n,
      });
      console.log(`  app (jobs.start, core API), round ${round}: per output ${show(appLines.at(-1)!)}`);
      const out = join(work, `cli-out-${round}`);
      await rm(out, { recursive: true, force: true });
      const cli = await vmpMix(mixArgs(out), env);
      cliLines.push(cli.line);
      files = cli.outputs;
      console.log(`  vmp mix (child process), round ${round}: per output ${show(cli.line)}`);
    }
    // The same outputs once more with the last job's files kept: each copies the audio of its twin (what a re-render
    // in the same session costs).
    const again = await app.renderJob(true);
    console.log(
      `  app, the same outputs again, the earlier job's files kept (audio copied): per output ${f3(again.ms / 1000 / again.value)} s wall, ${f3((again.cpu ?? Number.NaN) / 1000 / again.value)} CPU-s`,
    );
    const baseDir = join(work, 'baseline');
    await rm(baseDir, { recursive: true, force: true });
    await mkdir(baseDir, { recursive: true });
    const baseline = async (name: string, args: (input: string, output: string) => string[]): Promise<Line> => {
      const m = await measured(() =>
        mapLimit(files, DEFAULT_CONCURRENCY, (file, i) => runFfmpeg(args(file, join(baseDir, `${name}-${i}.mp4`)))),
      );
      const line = { wall: m.ms / 1000 / files.length, cpu: (m.cpu ?? Number.NaN) / 1000 / files.length, processes: 1 };
      console.log(
        `  baseline ${name}, one process per output, ${DEFAULT_CONCURRENCY} at once: per output ${show(line)}`,
      );
      return line;
    };
    const copy = await baseline('remux (-c copy)', (i, o) => ['-i', i, '-map', '0', '-c', 'copy', '-f', 'mp4', o]);
    const aac = await baseline("remux + AAC (-c:v copy, the outputs' AAC, +faststart)", (i, o) => [
      ...['-i', i, '-map', '0:v:0', '-map', '0:a:0', '-c:v', 'copy', ...AUDIO_OUTPUT_ARGS, ...OUTPUT_CONTAINER_ARGS, o],
    ]);
    const mean = (lines: Line[], key: 'wall' | 'cpu') => lines.reduce((s, l) => s + l[key], 0) / lines.length;
    const a = { wall: mean(appLines, 'wall'), cpu: mean(appLines, 'cpu') };
    const c = { wall: mean(cliLines, 'wall'), cpu: mean(cliLines, 'cpu') };
    const ratio = (x: number, y: number) => `${f3(x)} / ${f3(y)} = ${(x / y).toFixed(2)}x`;
    console.log(
      `Per output, mean of the 2 rounds (load now ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}):`,
    );
    console.log(`  app / vmp mix, CPU:  ${ratio(a.cpu, c.cpu)} (target within 10 %)`);
    console.log(`  app / vmp mix, wall: ${ratio(a.wall, c.wall)} (target within 10 %)`);
    for (const [name, base] of [
      ['remux + AAC', aac],
      ['bare -c copy remux', copy],
    ] as const) {
      console.log(
        `  app / ${name}, CPU:      ${ratio(a.cpu, base.cpu)}; wall ${ratio(a.wall, base.wall)} (target ≤ 1.2)`,
      );
      console.log(
        `  vmp mix / ${name}, CPU:  ${ratio(c.cpu, base.cpu)}; wall ${ratio(c.wall, base.wall)} (target ≤ 1.2)`,
      );
    }
  } finally {
    await app.close();
  }
}
