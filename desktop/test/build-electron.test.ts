import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { HOST_PATHS } from '@vmp/shared/api';
import { afterAll, describe, expect, it } from 'vitest';
import { SocketClient } from './helpers/ws-client.ts';

const exec = promisify(execFile);
const desktopDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(desktopDir, '..');
// Inside desktop/dist (git-ignored) so the bundles resolve node_modules like the real build, but not at
// desktop/dist/cli itself, which a real build owns.
const outDir = join(desktopDir, 'dist', `build-test-${process.pid}`);
const dataDir = mkdtempSync(join(tmpdir(), 'vmp-build-'));

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('scripts/build-electron.mjs', () => {
  it('bundles main (ESM), the sandboxed preload (CommonJS) and a CLI that serves the app', async () => {
    await exec(process.execPath, [join(repo, 'scripts', 'build-electron.mjs'), relative(repo, outDir)], { cwd: repo });

    const preload = readFileSync(join(outDir, 'preload', 'preload.cjs'), 'utf8');
    // A sandboxed preload may only require electron and a few polyfilled modules.
    const required = new Set([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    expect([...required].every((m) => ['electron', 'events', 'timers', 'url'].includes(m!))).toBe(true);
    expect(preload).toContain('exposeInMainWorld');
    const main = readFileSync(join(outDir, 'main', 'main.mjs'), 'utf8');
    expect(main).toMatch(/from "electron"/);
    expect(main).toContain('registerSchemesAsPrivileged');

    // The bundled CLI really runs: `serve` opens the database (migrations), answers over the WebSocket, stops on SIGTERM.
    const child = spawn(
      process.execPath,
      [join(outDir, 'cli', 'main.mjs'), 'serve', '--port', '0', '--data-dir', dataDir],
      {
        env: { ...process.env, VMP_MIGRATIONS_DIR: join(desktopDir, 'drizzle') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const match = /running at (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`built CLI exited (${code}): ${stderr}`)));
    });
    const client = await SocketClient.connect(`${url.replace('http', 'ws').replace(/\/$/, '')}${HOST_PATHS.socket}`);
    const project = await client.ok<{ name: string }>('projects.create', { name: 'Built' });
    expect(project.name).toBe('Built');
    expect(await client.ok('app.info', {})).toMatchObject({ ffmpeg: { ok: true } });
    client.close();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const version = await exec(process.execPath, [join(outDir, 'cli', 'main.mjs'), '--version']);
    expect(version.stdout).toMatch(/^vmp \d+\.\d+\.\d+ \(bundled\)\n$/);
  });
});
