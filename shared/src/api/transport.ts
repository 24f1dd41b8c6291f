import { z } from 'zod';
import { ApiEvent } from './events.ts';

/** Wire error: same shape as SerializedError in errors.ts. */
export const WireError = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });

/** Renderer → host/main. `id` pairs a call with its result. */
export const CallMessage = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(64),
  input: z.unknown(),
});
export type CallMessage = z.infer<typeof CallMessage>;

export const ResultMessage = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('result'), id: z.number().int(), ok: z.literal(true), output: z.unknown() }),
  z.object({ type: z.literal('result'), id: z.number().int(), ok: z.literal(false), error: WireError }),
]);
export type ResultMessage = z.infer<typeof ResultMessage>;

export const EventMessage = z.object({ type: z.literal('event'), event: ApiEvent });
export type EventMessage = z.infer<typeof EventMessage>;

export const ServerMessage = z.union([ResultMessage, EventMessage]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** Electron IPC channels (main ⇄ preload). Results come back as ResultMessage-like envelopes, never thrown. */
export const IPC_CALL_CHANNEL = 'vmp:call';
export const IPC_EVENT_CHANNEL = 'vmp:event';

/**
 * Browser host HTTP side-channels (the WebSocket carries calls and events).
 * Upload: POST the raw file bytes, query ?projectId=&name=[&groupId=]; answers ImportResult JSON.
 * Media: GET thumbnails and outputs (HTTP Range supported for playback).
 */
export const HOST_PATHS = {
  socket: '/api/socket',
  upload: '/api/upload',
  thumbnail: (clipId: string) => `/media/thumbnail/${encodeURIComponent(clipId)}`,
  output: (outputId: string) => `/media/output/${encodeURIComponent(outputId)}`,
  outputThumbnail: (outputId: string) => `/media/output-thumbnail/${encodeURIComponent(outputId)}`,
} as const;

/**
 * The renderer's Content-Security-Policy: no inline scripts, no eval, only this origin. The renderer build puts it in
 * a meta tag; the host and Electron also send it as a header, where `frame-ancestors` is honoured too.
 */
export const RENDERER_CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self' ws: wss:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
] as const;
export const RENDERER_CSP_META = RENDERER_CSP_DIRECTIVES.join('; ');
export const RENDERER_CSP_HEADER = [...RENDERER_CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');
