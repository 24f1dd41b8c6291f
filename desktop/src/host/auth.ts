import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopback } from './config.ts';

export const TOKEN_COOKIE = 'vmp_token';

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    try {
      out[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {}
  }
  return out;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token a request carries: header (Authorization: Bearer, X-VMP-Token), cookie, or ?token= (first visit). */
export function requestToken(req: IncomingMessage, url: URL): { token: string | null; fromQuery: boolean } {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { token: auth.slice(7), fromQuery: false };
  const header = req.headers['x-vmp-token'];
  if (typeof header === 'string') return { token: header, fromQuery: false };
  const cookie = parseCookies(req.headers.cookie)[TOKEN_COOKIE];
  if (cookie) return { token: cookie, fromQuery: false };
  const query = url.searchParams.get('token');
  if (query) return { token: query, fromQuery: true };
  return { token: null, fromQuery: false };
}

export function tokenMatches(expected: string | undefined, given: string | null): boolean {
  if (!expected) return true;
  return given !== null && same(expected, given);
}

/**
 * Without a token the host trusts loopback only, so a page on another site must not reach it through DNS
 * rebinding: the Host header has to name a loopback address.
 */
export function hostHeaderAllowed(req: IncomingMessage, tokenConfigured: boolean): boolean {
  if (tokenConfigured) return true;
  const host = req.headers.host;
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return isLoopback(name);
}

/** WebSocket upgrades (and uploads) from a browser must come from a page of this same host. */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // Not a browser (CLI, tests): no cross-site risk.
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
