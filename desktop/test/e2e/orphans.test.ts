import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClip } from '../fixtures/media.ts';
import { connectApi, type HostProcess, startHostProcess, tempDir, until } from './helpers.ts';

// A host killed with SIGKILL runs no shutdown code: its FFmpeg children must die with it, not finish (or hang)
// on their own and hold CPU and half-written files.

/** Processes (other than this one) whose command line mentions `text`: pid and argv. */
function processesMentioning(text: string): { pid: number; argv: string[] }[] {
  const found: { pid: number; argv: string[] }[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.some((a) => a.includes(text))) found.push({ pid, argv });
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}

const isFfmpeg = (p: { argv: string[] }) => basename(p.argv[0] ?? '') === 'ffmpeg';

let dir: string | undefined;
let host: HostProcess | undefined;

afterAll(async () => {
  await host?.stop();
  // Whatever a failing run left behind must not keep the shared machine busy.
  if (dir) for (const p of processesMentioning(dir)) process.kill(p.pid, 'SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('host killed mid-render', () => {
  it('leaves no FFmpeg process of its own running 2 s later', async () => {
    dir = await tempDir('orphans');
    const root = dir;
    host = await startHostProcess({ dataDir: join(root, 'data'), outputDir: join(root, 'outputs') });
    const api = await connectApi(host.url);
    const clips = [];
    for (const [i, color] of ['red', 'green', 'blue'].entries()) {
      clips.push(await makeClip(join(root, 'clips'), `clip-${i}`, { color, duration: 3, width: 640, height: 360 }));
    }
    await api.call('app.updateSettings', { concurrency: 1 });
    const project = await api.call('projects.create', { name: 'Orphans', mode: 'auto' });
    await api.call('clips.import', { projectId: project.id, paths: clips });
    await api.call('projects.update', {
      projectId: project.id,
      settings: { clipsPerOutput: 2, count: 3, strategy: 'unique' },
    });
    await api.call('jobs.start', { projectId: project.id });

    // Kill while an FFmpeg of the render is running (its command line names the test folder).
    const running = await until(() => processesMentioning(root).filter(isFfmpeg)[0], 'an FFmpeg render', 60_000);
    api.close();
    await host.kill();
    host = undefined;
    await new Promise((r) => setTimeout(r, 2000));
    const left = processesMentioning(root);
    expect(running.pid).toBeGreaterThan(0);
    expect(left.map((p) => p.argv.join(' '))).toEqual([]);
  }, 120_000);
});
