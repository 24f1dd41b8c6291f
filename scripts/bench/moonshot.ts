// `npm run bench -- --moonshot [--scale F]`: the issue's 1,000-variant job (10 hooks with captions × 2 headlines ×
// 10 bodies × 5 CTAs, 1080×1920 sources of 3-4 s) through `vmp mix` itself (a child process, cold cache), against
// the floor measured in the same run: the distinct intermediates encoded the way ours are (the CPU of our own
// normalise processes, each output file counted once) plus, per output, a stream copy of its video and an AAC encode
// of its audio with FFmpeg's start-up shared over 8 outputs, spread over the cores. Also CPU-s per output by phase
// and FFmpeg/ffprobe processes per output. --scale 0.1 makes ~100 outputs from a smaller project (moonshot-sources.ts).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { AUDIO_OUTPUT_ARGS, OUTPUT_CONTAINER_ARGS } from '../../desktop/src/engine/profiles/profile.ts';
import { installWrappers, outputOf, type Phase, phaseOf, readRecords, selfCpu } from './moonshot-profile.ts';
import { makeMoonshotFolder, moonshotShape } from './moonshot-sources.ts';

const SAMPLE = 8;
const FLOOR_ROUNDS = 2;

function childrenCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function machineBusy(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Runs a command to the end; its CPU (user+system) from the children counters of this process. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onPid?: (pid: number) => void,
): Promise<{ wall: number; cpu: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const cpu0 = childrenCpu();
    const t0 = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) onPid?.(child.pid);
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
      const result = { wall: (performance.now() - t0) / 1000, cpu: childrenCpu() - cpu0, stdout, stderr };
      if (code === 0) done(result);
      else fail(new Error(`${command} ${args.slice(0, 3).join(' ')}… exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

/** Seconds of [from, to] in which no tool ran, and in which fewer than `cores` ran (from each record's end and wall). */
function coresIdle(records: Array<{ end: number; wall: number }>, from: number, to: number, cores: number) {
  const edges = records.flatMap((r) => [
    { t: Math.max(from, r.end - r.wall), d: 1 },
    { t: Math.min(to, r.end), d: -1 },
  ]);
  edges.push({ t: from, d: 0 }, { t: to, d: 0 });
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let running = 0;
  let idle = 0;
  let under = 0;
  for (let i = 0; i < edges.length - 1; i++) {
    running += edges[i]!.d;
    const span = Math.max(0, edges[i + 1]!.t - edges[i]!.t);
    if (running <= 0) idle += span;
    if (running < cores) under += span;
  }
  return { idle, under };
}

const f2 = (n: number) => n.toFixed(2);
const f3 = (n: number) => n.toFixed(3);

export async function moonshot(scale: number, warm = false): Promise<void> {
  const shape = moonshotShape(scale);
  const cores = availableParallelism();
  const work = resolve('bench-work', 'moonshot');
  const cacheDir = join(work, 'cache');
  const outDir = join(work, 'out');
  const logDir = join(work, 'proc-log');
  console.log(
    `Moonshot, scale ${scale}: ${shape.hooks} hooks with captions × ${shape.headlines} headlines × ${shape.bodies} bodies × ${shape.ctas} CTAs, ${shape.count} outputs, ${cores} cores, load ${loadavg().map(f2).join(' ')}`,
  );
  const folder = await makeMoonshotFolder(work, shape);
  await rm(cacheDir, { recursive: true, force: true });
  await rm(outDir, { recursive: true, force: true });
  await rm(join(work, 'data'), { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const toolEnv = await installWrappers(join(work, 'bin'), logDir);
  const env = { ...process.env, ...toolEnv, VMP_DATA_DIR: join(work, 'data') };

  // Start-up cost of one process doing nothing, and the wrapper's own cost (bench-only, taken out below).
  const startup = async (tool: string, args: string[], runs: number) => {
    let cpu = 0;
    for (let i = 0; i < runs; i++) cpu += (await run(tool, args, process.env)).cpu;
    return cpu / runs;
  };
  const nullArgs = ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=d=0.01', '-f', 'null', '-'];
  const ffmpegStart = await startup('ffmpeg', ['-hide_banner', ...nullArgs], 10);
  const ffprobeStart = await startup('ffprobe', nullArgs.slice(0, 6), 10);
  const wrapped = await startup(toolEnv.FFMPEG_PATH!, ['-hide_banner', ...nullArgs], 10);
  const wrapperCost = Math.max(0, wrapped - ffmpegStart);
  await rm(logDir, { recursive: true, force: true });
  await mkdir(logDir, { recursive: true });

  // The job, through `vmp mix` itself; its main process's own CPU sampled every 100 ms.
  const samples: Array<{ t: number; cpu: number }> = [];
  let timer: NodeJS.Timeout | undefined;
  const busy0 = machineBusy();
  const load0 = loadavg()[0]!;
  const vmp = resolve('desktop/bin/vmp.mjs');
  const job = await run(
    process.execPath,
    [vmp, 'mix', folder, '--out', outDir, '--cache-dir', cacheDir, '--count', String(shape.count), '--json'],
    env,
    (pid) => {
      timer = setInterval(() => {
        const cpu = selfCpu(pid);
        if (cpu !== null) samples.push({ t: Date.now() / 1000, cpu });
      }, 100);
    },
  );
  clearInterval(timer);
  const jobEnd = Date.now() / 1000;
  const busy1 = machineBusy();
  const report = JSON.parse(job.stdout) as { outputs: Array<{ path: string; sources: string[] }>; failed?: unknown[] };
  const n = report.outputs.length;
  if (n !== shape.count || report.failed?.length) throw new Error(`moonshot: ${n} of ${shape.count} outputs made`);
  const records = await readRecords(logDir);
  const jobCpu = job.cpu - records.length * wrapperCost;

  // Floor, per output: FFmpeg processes copying the video and encoding the audio of 8 finished outputs each (and
  // the same with the audio alone, to split assembly into stream copy and AAC encode). Measured as the job runs
  // its assemblies, one process per core at once, over FLOOR_ROUNDS rounds: a process alone on an idle box is
  // ~10 % cheaper than two sharing its caches, and one run of 8 outputs varies by about as much.
  const sample = report.outputs.slice(0, SAMPLE * cores).map((o) => o.path);
  if (sample.length < SAMPLE * cores) throw new Error(`moonshot: the floor needs ${SAMPLE * cores} outputs`);
  const floorDir = join(work, 'floor');
  await rm(floorDir, { recursive: true, force: true });
  await mkdir(floorDir, { recursive: true });
  const floorProcess = (outputs: string[], audioOnly: boolean, tag: string) =>
    run(
      'ffmpeg',
      [
        '-v',
        'error',
        ...outputs.flatMap((p) => ['-i', p]),
        ...outputs.flatMap((_, k) => [
          ...(audioOnly ? [] : ['-map', `${k}:v:0`, '-c:v', 'copy']),
          '-map',
          `${k}:a:0`,
          ...AUDIO_OUTPUT_ARGS,
          ...OUTPUT_CONTAINER_ARGS,
          '-y',
          join(floorDir, `${audioOnly ? 'a' : 'va'}-${tag}-${k}.mp4`),
        ]),
      ],
      process.env,
    );
  const perOutput = async (audioOnly: boolean) => {
    const cpu0 = childrenCpu();
    for (let round = 0; round < FLOOR_ROUNDS; round++) {
      await Promise.all(
        Array.from({ length: cores }, (_, c) =>
          floorProcess(sample.slice(c * SAMPLE, (c + 1) * SAMPLE), audioOnly, `${c}`),
        ),
      );
    }
    return { cpu: (childrenCpu() - cpu0) / FLOOR_ROUNDS / cores, processes: FLOOR_ROUNDS * cores };
  };
  const copyAac = await perOutput(false);
  const aacOnly = await perOutput(true);
  const floorPerOutput = copyAac.cpu / SAMPLE;
  const aacPerOutput = Math.max(0, aacOnly.cpu - ffmpegStart) / SAMPLE;

  // Our processes by phase.
  const byPhase = new Map<Phase, { cpu: number; count: number }>();
  const distinct = new Map<string, number>();
  for (const r of records) {
    const phase = phaseOf(r, cacheDir);
    const entry = byPhase.get(phase) ?? { cpu: 0, count: 0 };
    entry.cpu += r.cpu;
    entry.count++;
    byPhase.set(phase, entry);
    if (phase === 'normalise') distinct.set(outputOf(r), Math.min(distinct.get(outputOf(r)) ?? r.cpu, r.cpu));
  }
  const phase = (p: Phase) => byPhase.get(p) ?? { cpu: 0, count: 0 };
  // Outputs whose audio was encoded, and those that copied a finished variant's (engine/render/shared-audio.ts).
  const audioCounts = (list: typeof records) => {
    const assemblies = list.filter((r) => phaseOf(r, cacheDir) === 'assemble').map((r) => r.command);
    const count = (needle: string) => assemblies.reduce((t, c) => t + c.split(needle).length - 1, 0);
    return { encoded: count(' -c:a aac '), copied: count(' -c:a copy ') };
  };
  const coldAudio = audioCounts(records);
  const startOf = (p: Phase) =>
    records
      .filter((r) => phaseOf(r, cacheDir) === p)
      .reduce((s, r) => s + (r.tool === 'ffprobe' ? ffprobeStart : ffmpegStart), 0);
  const normaliseDistinct = [...distinct.values()].reduce((a, b) => a + b, 0);
  const floorCpu = normaliseDistinct + n * floorPerOutput;
  const floorWall = floorCpu / cores;

  // The vmp process's own CPU (JavaScript, worker threads): during clip checks (until the first normalise starts),
  // while rendering, and after the last assembly ended (manifest, verification, exit).
  const firstNormalise = Math.min(
    ...records.filter((r) => phaseOf(r, cacheDir) === 'normalise').map((r) => r.end - r.wall),
  );
  const lastAssembly = Math.max(...records.filter((r) => phaseOf(r, cacheDir) === 'assemble').map((r) => r.end));
  const cpuAt = (t: number) => {
    let best = 0;
    for (const s of samples) if (s.t <= t) best = s.cpu;
    return best;
  };
  const nodeTotal = jobCpu - records.reduce((s, r) => s + r.cpu, 0);
  const nodeChecks = cpuAt(firstNormalise);
  const nodeTail = Math.max(0, nodeTotal - cpuAt(lastAssembly));
  const nodeRender = Math.max(0, nodeTotal - nodeChecks - nodeTail);

  const assemble = phase('assemble');
  const rows: Array<[string, number, string]> = [
    [
      'probe/check (ffprobe, decode checks, vmp during checks)',
      phase('probe/check').cpu - startOf('probe/check') + nodeChecks,
      `${phase('probe/check').count} processes`,
    ],
    [
      'normalise (encode of the intermediates)',
      phase('normalise').cpu - startOf('normalise'),
      `${phase('normalise').count} processes, ${distinct.size} distinct`,
    ],
    [
      'normalise: loudness measurement',
      phase('loudness measure').cpu - startOf('loudness measure'),
      `${phase('loudness measure').count} processes`,
    ],
    [
      'assemble (concat, stream copy, mux, audio filter)',
      assemble.cpu - startOf('assemble') - coldAudio.encoded * aacPerOutput,
      `${assemble.count} processes`,
    ],
    [
      'audio encode (AAC, measured per output on the sample)',
      coldAudio.encoded * aacPerOutput,
      `${coldAudio.encoded} encoded, ${coldAudio.copied} copied from a text variant`,
    ],
    ['manifest and verification (vmp after the last assembly)', nodeTail, ''],
    ['vmp while rendering (pool, progress parsing, planning)', nodeRender, ''],
    [
      'FFmpeg/ffprobe process start-up',
      records.reduce((s, r) => s + (r.tool === 'ffprobe' ? ffprobeStart : ffmpegStart), 0),
      `${records.length} processes`,
    ],
  ];
  if (phase('other').count)
    rows.push(['other FFmpeg', phase('other').cpu - startOf('other'), `${phase('other').count}`]);

  const ffmpegs = records.filter((r) => r.tool === 'ffmpeg').length;
  const machine = (busy1.busy - busy0.busy) / Math.max(1, busy1.total - busy0.total);
  console.log(
    `vmp mix: ${n} outputs in ${f2(job.wall)} s wall, ${f2(jobCpu)} CPU-s (${f3(jobCpu / n)} per output); machine ${(100 * machine).toFixed(0)} % busy, load ${f2(load0)} → ${f2(loadavg()[0]!)}`,
  );
  console.log(
    `floor: ${distinct.size} intermediates ${f2(normaliseDistinct)} CPU-s + ${n} × ${f3(floorPerOutput)} CPU-s (copy + AAC, start-up shared over ${SAMPLE}, ${cores} processes at once, mean of ${FLOOR_ROUNDS} rounds) = ${f2(floorCpu)} CPU-s / ${cores} cores = ${f2(floorWall)} s`,
  );
  console.log(
    `  wall, vmp mix / floor: ${f2(job.wall)} / ${f2(floorWall)} s = ${f2(job.wall / floorWall)}x (target ≤ 1.2)`,
  );
  console.log(`  CPU, vmp mix / floor: ${f2(jobCpu)} / ${f2(floorCpu)} CPU-s = ${f2(jobCpu / floorCpu)}x`);
  // The same floor with each distinct audio (the same clips in the same order: text variants) encoded once and
  // copied into the other outputs: what the machine must do at least once the audio is shared.
  const distinctAudio = new Set(report.outputs.map((o) => o.sources.join('\n'))).size;
  const copyPerOutput = Math.max(0, floorPerOutput - aacPerOutput);
  const floorSharedCpu = normaliseDistinct + n * copyPerOutput + distinctAudio * aacPerOutput;
  console.log(
    `floor with audio encoded once per distinct clip sequence (${distinctAudio} of ${n}): ${f2(normaliseDistinct)} + ${n} × ${f3(copyPerOutput)} (copy) + ${distinctAudio} × ${f3(aacPerOutput)} (AAC) = ${f2(floorSharedCpu)} CPU-s / ${cores} cores = ${f2(floorSharedCpu / cores)} s; vmp mix / it: wall ${f2(job.wall / (floorSharedCpu / cores))}x, CPU ${f2(jobCpu / floorSharedCpu)}x`,
  );
  const { idle, under } = coresIdle(records, jobEnd - job.wall, jobEnd, cores);
  console.log(
    `  cores used: ${f2((100 * jobCpu) / (job.wall * cores))} % of ${f2(job.wall)} s × ${cores}; FFmpeg/ffprobe ran on fewer than ${cores} cores for ${f2(under)} s (none at all for ${f2(idle)} s: start-up, checks' gaps, the end)`,
  );
  console.log('CPU-s per output by phase (process start-up taken out of each phase and shown on its own):');
  for (const [name, cpu, note] of rows) {
    console.log(`  ${name.padEnd(58)} ${f3(cpu / n).padStart(7)}  (${f2(cpu)} CPU-s${note ? `, ${note}` : ''})`);
  }
  console.log(
    `Processes per output: ${f3(ffmpegs / n)} ffmpeg, ${f3((records.length - ffmpegs) / n)} ffprobe; start-up ${f3(ffmpegStart)} CPU-s per ffmpeg, ${f3(ffprobeStart)} per ffprobe; bench wrapper ${f3(wrapperCost)} CPU-s per process (taken out)`,
  );
  console.log(
    `Per output beyond the intermediates: ${f3((jobCpu - normaliseDistinct) / n)} CPU-s against the floor's ${f3(floorPerOutput)} (AAC alone ${f3(aacPerOutput)})`,
  );
  console.log(`(${(await readdir(outDir)).filter((f) => f.endsWith('.mp4')).length} outputs in ${outDir})`);
  if (!warm) return;

  // Warm: the same command again on the now-full cache (fresh --out), against a bare `-c copy` remux of one output
  // (one process per output, one after the other, as the issue measured it).
  const warmOut = join(work, 'out-warm');
  await rm(warmOut, { recursive: true, force: true });
  await rm(logDir, { recursive: true, force: true });
  await mkdir(logDir, { recursive: true });
  const again = await run(
    process.execPath,
    [vmp, 'mix', folder, '--out', warmOut, '--cache-dir', cacheDir, '--count', String(shape.count), '--json'],
    env,
  );
  const warmRecords = await readRecords(logDir);
  const warmAudio = audioCounts(warmRecords);
  const warmCpu = again.cpu - warmRecords.length * wrapperCost;
  const REMUX = 5;
  let remuxWall = 0;
  let remuxCpu = 0;
  for (let i = 0; i < REMUX; i++) {
    const r = await run(
      'ffmpeg',
      ['-v', 'error', '-y', '-i', sample[0]!, '-c', 'copy', '-f', 'mp4', join(floorDir, 'remux.mp4')],
      process.env,
    );
    remuxWall += r.wall / REMUX;
    remuxCpu += r.cpu / REMUX;
  }
  const warmBy = new Map<Phase, { cpu: number; count: number }>();
  for (const r of warmRecords) {
    const p = phaseOf(r, cacheDir);
    const e = warmBy.get(p) ?? { cpu: 0, count: 0 };
    e.cpu += r.cpu;
    e.count++;
    warmBy.set(p, e);
  }
  const warmStart = warmRecords.reduce((t, r) => t + (r.tool === 'ffprobe' ? ffprobeStart : ffmpegStart), 0);
  const warmNode = warmCpu - warmRecords.reduce((t, r) => t + r.cpu, 0);
  console.log(
    `warm vmp mix (every intermediate cached): ${n} outputs in ${f2(again.wall)} s wall, ${f2(warmCpu)} CPU-s; per output ${f3(again.wall / n)} s wall, ${f3(warmCpu / n)} CPU-s, ${f3(warmRecords.length / n)} processes`,
  );
  console.log(`  bare -c copy remux of one output (${REMUX} runs): ${f3(remuxWall)} s wall, ${f3(remuxCpu)} CPU-s`);
  console.log(
    `  wall, warm per output / bare remux: ${f3(again.wall / n)} / ${f3(remuxWall)} = ${f2(again.wall / n / remuxWall)}x (target ≤ 1.2); in CPU ${f2(warmCpu / n / remuxCpu)}x; against the floor's copy + AAC ${f2(warmCpu / n / floorPerOutput)}x`,
  );
  const warmRows: Array<[string, number]> = [
    ['probe/check (clips checked again every run)', (warmBy.get('probe/check')?.cpu ?? 0) + 0],
    ['assemble incl. AAC', warmBy.get('assemble')?.cpu ?? 0],
    [
      `  of which AAC (${warmAudio.encoded} encoded, ${warmAudio.copied} copied from a text variant)`,
      warmAudio.encoded * aacPerOutput,
    ],
    ['loudness measurement', warmBy.get('loudness measure')?.cpu ?? 0],
    ['normalise (should be 0: cached)', warmBy.get('normalise')?.cpu ?? 0],
    ['  of all the above: process start-up', warmStart],
    ['vmp itself (JavaScript, worker threads)', warmNode],
  ];
  console.log('  warm CPU-s per output by phase:');
  for (const [name, cpu] of warmRows)
    console.log(`    ${name.padEnd(54)} ${f3(cpu / n).padStart(7)}  (${f2(cpu)} CPU-s)`);
}
