import type { AppSettings } from '@vmp/shared/api';
import { ValidationError } from '@vmp/shared/errors';
import { checkFarmUrl, redactUrl } from '../farm/connection.ts';
import { type SecretBox, SecretUnavailableError } from '../licensing/secret-box.ts';

/** Settings row of the farm password, sealed by the licensing SecretBox (never the password itself). */
export const FARM_PASSWORD_KEY = 'farm.password';

interface SealedPassword {
  /** Absent: the farm URL has no password. */
  sealed?: string;
}

/** A farm URL without its password (what the settings row keeps) and that password (percent-encoded), if any. */
export function splitFarmUrl(url: string): { url: string; password: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, password: null };
  }
  if (!parsed.password) return { url, password: null };
  const password = parsed.password;
  parsed.password = '';
  return { url: parsed.toString(), password };
}

/** The URL the farm connects with: `url` with `password` put back. */
export function joinFarmUrl(url: string, password: string | null): string {
  if (!password) return url;
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

/**
 * Settings as the UI sees them: the farm URL's password is never sent back (shown as ***). `hasPassword`: a
 * sealed password goes with the stored URL.
 */
export function publicSettings(settings: AppSettings, hasPassword = false): AppSettings {
  if (settings.farmUrl === null) return { ...settings, farmUrl: null };
  return { ...settings, farmUrl: redactUrl(hasPassword ? joinFarmUrl(settings.farmUrl, '***') : settings.farmUrl) };
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
    return checkFarmUrl(url, 'Render farm address');
  } catch (error) {
    throw new ValidationError((error as Error).message, { field: 'farmUrl' });
  }
}

/** The rows of the app database the farm setting reads and writes. */
export interface SettingsRows {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

/**
 * The "Render farm" setting at rest: the settings row (`settingsKey`) keeps the URL without its password; the
 * password is sealed by the machine's SecretBox (the one licensing seals its machine secret with) in its own row.
 * A row written before this (password in the URL) is moved over on first read.
 */
export class FarmSetting {
  private migrating: Promise<void> | undefined;

  constructor(
    private readonly rows: SettingsRows,
    private readonly settingsKey: string,
    private readonly box: () => Promise<SecretBox>,
  ) {}

  hasPassword(): boolean {
    return Boolean(this.rows.get<SealedPassword>(FARM_PASSWORD_KEY)?.sealed);
  }

  /** Moves a password still in the settings row into the secret store (sealed row first: a crash loses nothing). */
  migrate(): Promise<void> {
    const row = this.rows.get<Record<string, unknown>>(this.settingsKey);
    const stored = typeof row?.farmUrl === 'string' ? row.farmUrl : null;
    if (!row || stored === null || splitFarmUrl(stored).password === null) return this.migrating ?? Promise.resolve();
    this.migrating ??= (async () => {
      const { url, password } = splitFarmUrl(stored);
      this.rows.set(FARM_PASSWORD_KEY, { sealed: await (await this.box()).seal(password!) });
      const now = this.rows.get<Record<string, unknown>>(this.settingsKey);
      if (now?.farmUrl === stored) this.rows.set(this.settingsKey, { ...now, farmUrl: url });
    })().finally(() => {
      this.migrating = undefined;
    });
    return this.migrating;
  }

  /** The URL the farm connects with, password included, for the stored URL `url` (null: no farm). */
  async connectUrl(url: string | null): Promise<string | null> {
    await this.migrate();
    if (url === null) return null;
    const split = splitFarmUrl(url);
    if (split.password !== null) return url; // Not migrated yet (another write raced): the row still has it.
    const sealed = this.rows.get<SealedPassword>(FARM_PASSWORD_KEY)?.sealed;
    if (!sealed) return url;
    try {
      return joinFarmUrl(url, await (await this.box()).open(sealed));
    } catch (error) {
      throw new SecretUnavailableError(
        "The Render farm password saved on this computer cannot be decrypted with this user account's key: enter the farm URL with its password again in Settings.",
        error,
      );
    }
  }

  /**
   * Stores what the UI sent for the farm URL (see nextFarmUrl) and answers the URL for the settings row: the
   * redacted URL sent back unchanged keeps the sealed password; a new URL's password is sealed, or cleared.
   * `stored`: the row's URL read after `migrate()`.
   */
  async update(sent: string | null, stored: string | null): Promise<string | null> {
    const shown = publicSettings({ farmUrl: stored } as AppSettings, this.hasPassword()).farmUrl;
    const next = nextFarmUrl(sent, shown);
    if (next !== null && next === shown) return stored;
    const { url, password } = next === null ? { url: null, password: null } : splitFarmUrl(next);
    const sealed: SealedPassword = password === null ? {} : { sealed: await (await this.box()).seal(password) };
    this.rows.set(FARM_PASSWORD_KEY, sealed);
    return url;
  }
}
