// Navigation and window-opening rules for every webContents, written against the few Electron methods they use so
// tests can pass plain objects.

/** Electron's navigation events (will-navigate, will-redirect, will-frame-navigate) all carry the target URL. */
export interface NavigationEvent {
  url: string;
  preventDefault(): void;
}

export type NavigationEventName = 'will-navigate' | 'will-redirect' | 'will-frame-navigate';

export interface GuardedContents {
  on(event: NavigationEventName, listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface ExternalUrlPolicy {
  /** Whether the system browser may be asked to open this URL. */
  allows(url: string): boolean;
  /** Records a URL the app produced itself (a checkout page from the licensing server), allowed from now on. */
  issue(url: string): void;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** https only; http only to this machine (a development licensing server). */
function webUrl(url: string): URL | null {
  const parsed = parse(url);
  if (!parsed || parsed.username || parsed.password) return null;
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)) return parsed;
  return null;
}

export interface ExternalUrlOptions {
  /** Pages under this URL (the user guide) may open. */
  helpUrl: string;
  /** The licensing server's base URL, read each time (it is a setting); its pages (checkout, account) may open. */
  serverUrl?: () => string | undefined;
}

/**
 * Only URLs the app itself produces leave the app: the help pages, the licensing server's pages, and URLs the app
 * received from that server (Checkout). Anything else a page tries to open, even https, is refused.
 */
export function createExternalUrlPolicy(options: ExternalUrlOptions): ExternalUrlPolicy {
  const issued = new Set<string>();
  const help = webUrl(options.helpUrl);
  return {
    issue(url) {
      const parsed = webUrl(url);
      if (parsed) issued.add(parsed.href);
    },
    allows(url) {
      const parsed = webUrl(url);
      if (!parsed) return false;
      if (issued.has(parsed.href)) return true;
      if (help && parsed.origin === help.origin && parsed.pathname.startsWith(help.pathname)) return true;
      const server = options.serverUrl?.();
      const serverOrigin = server ? webUrl(server)?.origin : undefined;
      return !!serverOrigin && parsed.origin === serverOrigin;
    },
  };
}

export interface GuardOptions {
  /** The app's own origin (vmp://app): navigation inside it is the only navigation allowed. */
  appOrigin: string;
  policy: ExternalUrlPolicy;
  openExternal(url: string): void;
  /** Told about every refused navigation or window (logged). */
  onBlocked?(kind: NavigationEventName | 'window-open', url: string): void;
}

export function isAppUrl(url: string, appOrigin: string): boolean {
  return url.startsWith(`${appOrigin}/`);
}

/** What to do with a navigation or window.open target: stay (app page), hand to the browser, or refuse. */
export function routeUrl(
  url: string,
  options: Pick<GuardOptions, 'appOrigin' | 'policy'>,
): 'app' | 'external' | 'block' {
  if (isAppUrl(url, options.appOrigin)) return 'app';
  return options.policy.allows(url) ? 'external' : 'block';
}

/** Installs the guards on one webContents (call from app's 'web-contents-created'). */
export function guardContents(contents: GuardedContents, options: GuardOptions): void {
  const onNavigate = (kind: NavigationEventName) => (event: NavigationEvent) => {
    const route = routeUrl(event.url, options);
    if (route === 'app') return;
    event.preventDefault();
    // A link the app produced (help, checkout) opens in the browser even when clicked without target="_blank".
    if (route === 'external' && kind === 'will-navigate') options.openExternal(event.url);
    else options.onBlocked?.(kind, event.url);
  };
  contents.on('will-navigate', onNavigate('will-navigate'));
  contents.on('will-redirect', onNavigate('will-redirect'));
  contents.on('will-frame-navigate', onNavigate('will-frame-navigate'));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (routeUrl(url, options) === 'external') options.openExternal(url);
    else options.onBlocked?.('window-open', url);
    return { action: 'deny' };
  });
}

/** Session permission handlers: the app needs no camera, microphone, notifications, USB, HID, ... */
export const denyPermissionRequest = (_wc: unknown, _permission: string, callback: (granted: boolean) => void): void =>
  callback(false);
export const denyPermissionCheck = (): boolean => false;
