import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  createExternalUrlPolicy,
  denyPermissionCheck,
  denyPermissionRequest,
  type GuardedContents,
  guardContents,
  type NavigationEvent,
} from './navigation.ts';

const APP = 'vmp://app';

/** A webContents stand-in: Electron emits navigation events with an event object carrying `url`. */
class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
    this.openHandler = handler;
  }
  /** Emits like Electron and says whether the navigation went ahead. */
  navigate(kind: string, url: string): boolean {
    let prevented = false;
    const event: NavigationEvent = { url, preventDefault: () => (prevented = true) };
    this.emit(kind, event, url);
    return !prevented;
  }
}

function setup(serverUrl?: string) {
  const contents = new FakeContents();
  const opened: string[] = [];
  const blocked: string[] = [];
  const policy = createExternalUrlPolicy({ helpUrl: 'https://videomixerpro.com/help/', serverUrl: () => serverUrl });
  guardContents(contents as unknown as GuardedContents, {
    appOrigin: APP,
    policy,
    openExternal: (url) => opened.push(url),
    onBlocked: (kind, url) => blocked.push(`${kind} ${url}`),
  });
  return { contents, opened, blocked, policy };
}

describe('navigation guards', () => {
  it('lets the app navigate inside vmp://app and nowhere else, on every navigation event', () => {
    const { contents, opened, blocked } = setup();
    for (const kind of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(contents.navigate(kind, `${APP}/index.html#/projects`)).toBe(true);
      expect(contents.navigate(kind, 'https://evil.example/phish')).toBe(false);
      expect(contents.navigate(kind, 'file:///etc/passwd')).toBe(false);
      expect(contents.navigate(kind, 'vmp://app.evil/x')).toBe(false);
    }
    expect(opened).toEqual([]);
    expect(blocked).toHaveLength(9);
  });

  it('opens only URLs the app produces in the system browser, and never a new app window', () => {
    const { contents, opened, policy } = setup('https://licensing.videomixerpro.com');
    const open = (url: string) => contents.openHandler?.({ url });
    const checkout = 'https://checkout.stripe.com/c/pay/cs_test_123';

    expect(open('https://videomixerpro.com/help/getting-started')).toEqual({ action: 'deny' });
    expect(open('https://licensing.videomixerpro.com/account')).toEqual({ action: 'deny' });
    expect(open(checkout)).toEqual({ action: 'deny' });
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open('https://videomixerpro.com/blog')).toEqual({ action: 'deny' });
    expect(open('http://licensing.videomixerpro.com/account')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(opened).toEqual([
      'https://videomixerpro.com/help/getting-started',
      'https://licensing.videomixerpro.com/account',
    ]);

    // The Checkout URL the licensing server returned (recorded by main from the API result) may open.
    policy.issue(checkout);
    open(checkout);
    expect(opened.at(-1)).toBe(checkout);
    expect(policy.allows('https://checkout.stripe.com/c/pay/cs_test_other')).toBe(false);
  });

  it('sends an allowed link clicked in place to the browser instead of navigating away', () => {
    const { contents, opened } = setup();
    expect(contents.navigate('will-navigate', 'https://videomixerpro.com/help/')).toBe(false);
    expect(opened).toEqual(['https://videomixerpro.com/help/']);
    // A redirect to an allowed page is still not followed inside the app, and not opened either.
    expect(contents.navigate('will-redirect', 'https://videomixerpro.com/help/x')).toBe(false);
    expect(opened).toHaveLength(1);
  });

  it('allows a plain-http licensing server only on this machine (development)', () => {
    const local = createExternalUrlPolicy({
      helpUrl: 'https://h.example/help/',
      serverUrl: () => 'http://127.0.0.1:8787',
    });
    expect(local.allows('http://127.0.0.1:8787/checkout/success')).toBe(true);
    const remote = createExternalUrlPolicy({
      helpUrl: 'https://h.example/help/',
      serverUrl: () => 'http://10.0.0.5:8787',
    });
    expect(remote.allows('http://10.0.0.5:8787/checkout/success')).toBe(false);
    expect(local.allows('https://user:pw@h.example/help/')).toBe(false);
  });

  it('refuses webviews and every permission', () => {
    const { contents } = setup();
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    let granted: boolean | undefined;
    denyPermissionRequest({}, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect(denyPermissionCheck()).toBe(false);
  });
});
