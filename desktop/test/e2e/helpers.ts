import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ApiCall, type ApiEvent, HOST_PATHS, type MethodName } from '@vmp/shared/api';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { type RunningHost, startHost } from '../../src/host/index.ts';
import { makeClip } from '../fixtures/media.ts';
import { perFile } from '../helpers/per-file.ts';

export const desktopDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const rendererSrc = join(desktopDir, 'src', 'renderer');
export const rendererDist = join(desktopDir, 'dist', 'renderer');
export const screenshotDir = join(desktopDir, 'test-results', 'screenshots');

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || /\.test\.tsx?$/.test(entry.name)) continue;
    newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/** Builds the renderer with vite's API when dist is missing or older than the sources. One build at a time. */
export async function ensureRendererBuilt(): Promise<void> {
  const lock = join(desktopDir, 'dist', '.renderer-build.lock');
  await mkdir(join(desktopDir, 'dist'), { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // Another test file is building: wait for its lock to go, then check freshness ourselves.
      // A lock left by a run that was killed mid-build is taken over after two minutes.
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 120_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const built = await stat(join(rendererDist, 'index.html')).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    const shared = join(desktopDir, '..', 'shared', 'src');
    if (built > Math.max(await newestMtime(rendererSrc), await newestMtime(shared))) return;
    const { build } = await import('vite');
    // Vitest sets NODE_ENV=test, which would make vite bundle React's development build.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(rendererSrc, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    } finally {
      process.env.NODE_ENV = env;
    }
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `vmp-e2e-${prefix}-`));
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (CSP violations show up here). */
  errors: string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = await tempDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * For test files that start their own host (a child process they may kill, or one with licensing env): the renderer
 * built, a temp folder (`dir`, for the file's data, outputs and clips) and a fresh Chromium before the first test;
 * both gone after the last.
 */
export function withBrowserRun(prefix: string): () => { dir: string; browser: Browser } {
  return perFile(
    'withBrowserRun',
    async () => {
      await ensureRendererBuilt();
      const dir = await tempDir(prefix);
      try {
        return { dir, browser: await launchBrowser() };
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    },
    async ({ dir, browser }) => {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    },
  );
}

export interface Session {
  /** Temp folder holding the host's data and outputs; tests put their clips here too. */
  dir: string;
  host: RunningHost;
  browser: Browser;
  close(): Promise<void>;
}

/** The renderer built, a temp folder, an in-process host on a free loopback port, a fresh Chromium. */
export async function startSession(prefix: string): Promise<Session> {
  await ensureRendererBuilt();
  const dir = await tempDir(prefix);
  const host = await startHost({
    dataDir: join(dir, 'data'),
    defaultOutputDir: join(dir, 'outputs'),
    port: 0,
    host: '127.0.0.1',
  });
  const browser = await launchBrowser();
  return {
    dir,
    host,
    browser,
    async close() {
      await browser.close();
      await host.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

export interface HostProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGKILL: no graceful shutdown, as in a crash or power loss. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** The real host (`startHost`) in a child process, so a test can kill it mid-render. */
export async function startHostProcess(options: {
  dataDir: string;
  outputDir: string;
  port?: number;
  /** Extra environment (licensing tests: VMP_SERVER_URL, VMP_MACHINE_ID, ...). */
  env?: Record<string, string>;
}): Promise<HostProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(desktopDir, 'test', 'e2e', 'host-process.ts')], {
    cwd: desktopDir,
    env: {
      ...process.env,
      VMP_E2E_DATA_DIR: options.dataDir,
      VMP_E2E_OUTPUT_DIR: options.outputDir,
      VMP_E2E_PORT: String(options.port ?? 0),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /VMP_HOST_URL=(\S+)/.exec(out);
      if (m?.[1]) resolveUrl(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code} before listening:\n${stderr}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A node-side API client over the host's WebSocket, for test setup and for checks the UI does not show. */
export async function connectApi(url: string): Promise<{ call: ApiCall; events: ApiEvent[]; close(): void }> {
  const socketUrl = new URL(HOST_PATHS.socket, url.replace(/^http/, 'ws')).toString();
  const ws = new WebSocket(socketUrl);
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const events: ApiEvent[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.type === 'event') events.push(msg.event);
    else {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.ok) p?.resolve(msg.output);
      else p?.reject(new Error(`${msg.error.code}: ${msg.error.message}`));
    }
  });
  const call = ((method: MethodName, input: unknown) =>
    new Promise((resolveCall, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolveCall, reject });
      ws.send(JSON.stringify({ type: 'call', id, method, input }));
    })) as ApiCall;
  return { call, events, close: () => ws.close() };
}

/** Six one-second clips in six colours in `folder`, in order: two for each group of a new project. */
export async function makeSixClips(folder: string): Promise<string[]> {
  const paths: string[] = [];
  for (const [i, color] of ['red', 'orange', 'green', 'teal', 'blue', 'purple'].entries()) {
    paths.push(await makeClip(folder, `clip-${i}-${color}`, { color, duration: 1 }));
  }
  return paths;
}

/** Imports the clips two by two into the project's groups (a new project has three), in their order. */
export async function importInPairs(call: ApiCall, projectId: string, paths: string[]): Promise<void> {
  const detail = await call('projects.get', { projectId });
  for (const [g, group] of detail.groups.entries()) {
    await call('clips.import', { projectId, paths: paths.slice(g * 2, g * 2 + 2), groupId: group.id });
  }
}

/** Polls a condition without a fixed sleep in the test: the test timeout bounds it. */
export async function until<T>(
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  label: string,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${label}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * HTML5 drag and drop with the real mouse. Several moves over the target: Chromium settles the drop effect from
 * the page's dragover answer, and a single move can release before it has.
 */
export async function dragAndDrop(page: Page, source: Locator, target: Locator): Promise<void> {
  await source.hover();
  await page.mouse.down();
  const box = await target.boundingBox();
  if (!box) throw new Error('drop target is not visible');
  const x = box.x + box.width / 2;
  const y = box.y + Math.min(box.height / 2, 40);
  await page.mouse.move(x, y, { steps: 4 });
  await page.mouse.move(x, y + 4, { steps: 2 });
  await page.mouse.up();
}
