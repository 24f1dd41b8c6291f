import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const guard = fileURLToPath(new URL('./process-guard.ts', import.meta.url));

// A child process, since vitest treats unhandled rejections in its own process as errors.
function runChild(withGuard: boolean): { status: number; stderr: string; stdout: string } {
  const script = `
    ${withGuard ? `const { guardUnhandledRejections } = await import(${JSON.stringify(guard)}); guardUnhandledRejections();` : ''}
    Promise.reject(new Error('lost rejection'));
    setTimeout(() => console.log('still serving'), 50);`;
  try {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('guardUnhandledRejections', () => {
  it('logs an unhandled rejection and keeps the process running (without it, Node exits)', () => {
    const unguarded = runChild(false);
    expect(unguarded.status).not.toBe(0);
    expect(unguarded.stdout).not.toContain('still serving');
    const guarded = runChild(true);
    expect(guarded).toMatchObject({ status: 0, stdout: 'still serving\n' });
  });
});
