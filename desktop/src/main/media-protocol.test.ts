import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RENDERER_CSP_HEADER } from '@vmp/shared/api';
import { afterAll, describe, expect, it } from 'vitest';
import type { Core } from '../core/core.ts';
import { NOTICES_PATH } from './about.ts';
import { APP_ORIGIN, createAppProtocolHandler, ELECTRON_CSP } from './media-protocol.ts';

const dir = mkdtempSync(join(tmpdir(), 'vmp-protocol-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('app protocol in Electron', () => {
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dir, 'NOTICES.md'), '# Third-party notices\nFFmpeg: GPL');
  // Pages and notices never reach the core (only /media/... does).
  const handle = createAppProtocolHandler({} as Core, dir, { noticesFile: join(dir, 'NOTICES.md') });

  it('serves the page with a CSP whose connect-src is only the app itself (the API goes over IPC)', async () => {
    const response = await handle(new Request(`${APP_ORIGIN}/index.html`));
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(ELECTRON_CSP);
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toMatch(/ws:|wss:|https:|\*/);
    // Everything else is the shared policy the browser host sends.
    expect(csp.replace("connect-src 'self'", '')).toBe(RENDERER_CSP_HEADER.replace("connect-src 'self' ws: wss:", ''));
  });

  it('serves the third-party notices as plain text that cannot run anything', async () => {
    const response = await handle(new Request(`${APP_ORIGIN}${NOTICES_PATH}`));
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await response.text()).toContain('FFmpeg: GPL');
  });
});
