import { ValidationError } from '@vmp/shared/errors';
import { type RunSummary, summaryText } from './summary.ts';

/** Checks a webhook URL (http or https); the error names `field` so the UI or CLI can point at it. */
export function checkNotifyUrl(url: string, field = 'notifyUrl'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`${field} must be an http:// or https:// URL (got something that is not a URL).`, {
      field,
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ValidationError(`${field} must be an http:// or https:// URL, not ${parsed.protocol}//.`, { field });
  }
  return parsed.toString();
}

/** A webhook URL fit for a log line: its path and query can be the secret (Slack's are), so only the host shows. */
export function redactNotifyUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(invalid URL)';
  }
}

export function isSlackWebhook(url: string): boolean {
  try {
    return new URL(url).hostname === 'hooks.slack.com';
  } catch {
    return false;
  }
}

/** Slack's incoming webhooks take `{text}` only; other receivers get the summary's fields with the same text. */
export function webhookBody(url: string, summary: RunSummary): Record<string, unknown> {
  const text = summaryText(summary);
  if (isSlackWebhook(url)) return { text };
  return { event: 'run.finished', text, ...summary };
}

export interface WebhookResult {
  ok: boolean;
  attempts: number;
  /** HTTP status of the last attempt, when one answered. */
  status?: number;
  /** Why the last attempt failed (no URL in it). */
  error?: string;
}

export interface WebhookOptions {
  attempts?: number;
  delayMs?: number;
  timeoutMs?: number;
}

/** POSTs the summary: 2 attempts 1 s apart by default (the seed's notifications queue). Never throws. */
export async function postRunSummary(
  url: string,
  summary: RunSummary,
  options: WebhookOptions = {},
): Promise<WebhookResult> {
  const attempts = options.attempts ?? 2;
  const body = JSON.stringify(webhookBody(url, summary));
  let last: WebhookResult = { ok: false, attempts: 0 };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, options.delayMs ?? 1000));
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'VideoMixerPro' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, attempts: attempt, status: res.status };
      last = { ok: false, attempts: attempt, status: res.status, error: `HTTP ${res.status}` };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      last = { ok: false, attempts: attempt, error: cause ?? (error as Error).name };
    }
  }
  return last;
}

/** The line to show or log when the webhook could not be reached. */
export function webhookFailure(url: string, result: WebhookResult): string {
  return `Could not notify ${redactNotifyUrl(url)} after ${result.attempts} attempt${result.attempts === 1 ? '' : 's'}: ${result.error ?? 'no answer'}. Check the notification webhook URL.`;
}
