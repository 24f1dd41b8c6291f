import type { AppSettings } from '@vmp/shared/api';
import { ValidationError } from '@vmp/shared/errors';
import { checkFarmUrl, redactUrl } from '../farm/connection.ts';

/** Settings as the UI sees them: the farm URL's password is never sent back (shown as ***). */
export function publicSettings(settings: AppSettings): AppSettings {
  return { ...settings, farmUrl: settings.farmUrl === null ? null : redactUrl(settings.farmUrl) };
}

/**
 * The farm URL to store for a `farmUrl` the UI sent: empty or null turns the farm off; the redacted form of the
 * stored URL (the UI only ever had that) keeps it with its password; anything else must be a usable
 * redis:// or rediss:// URL, else a ValidationError naming the field.
 */
export function nextFarmUrl(sent: string | null, stored: string | null): string | null {
  const url = sent?.trim() ?? '';
  if (url === '') return null;
  if (stored !== null && url === redactUrl(stored)) return stored;
  try {
    return checkFarmUrl(url, 'farmUrl');
  } catch (error) {
    throw new ValidationError((error as Error).message, { field: 'farmUrl' });
  }
}
