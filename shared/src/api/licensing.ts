import { z } from 'zod';

/**
 * unlicensed: no activation (rendering watermarked, nothing charged). active: lease verified and the server answered.
 * offline-grace: lease verified offline, server unreachable. expired: the lease cannot be trusted (expired, altered,
 * another machine, unknown key). suspended/revoked: the server's word at the last heartbeat.
 */
export const LicenseState = z.enum(['unlicensed', 'active', 'offline-grace', 'expired', 'suspended', 'revoked']);
export type LicenseState = z.infer<typeof LicenseState>;

export const LicenseStatus = z.object({
  state: LicenseState,
  licenseType: z.enum(['TRIAL', 'PRO', 'ENTERPRISE']).optional(),
  /** When the license itself ends (ISO 8601), if it does. */
  expiresAt: z.string().nullable().optional(),
  seats: z.object({ used: z.number().int().nonnegative(), max: z.number().int().positive() }).optional(),
  /** End of the offline grace period (ISO 8601). */
  leaseExpiresAt: z.string().optional(),
  offlineDaysLeft: z.number().nonnegative().optional(),
  /** What the user should know or do, in words (always set for expired/suspended/revoked). */
  message: z.string().optional(),
  /** Stable code of the last problem (LEASE_INVALID, LICENSE_REVOKED, STALE_REQUEST, ...). */
  code: z.string().optional(),
  serverUrl: z.string(),
  /** Where the machine secret is kept: electron-safe-storage, os-keychain or key-file. */
  secretStorage: z.string().optional(),
  lastCheckedAt: z.number().int().nullable().optional(),
});
export type LicenseStatus = z.infer<typeof LicenseStatus>;

export const CreditsStatus = z.object({
  /** Last balance the server reported (null before the first answer). */
  balance: z.number().int().nullable(),
  /** Credits held by open reservations (server view). */
  held: z.number().int(),
  /** balance - held - pendingUsage: what a new job can use now. */
  available: z.number().int().nullable(),
  /** Outputs rendered (offline or not yet reported) that the server has not debited yet. */
  pendingUsage: z.number().int().nonnegative(),
  online: z.boolean(),
  /** Epoch ms of the last successful exchange with the server. */
  lastSyncedAt: z.number().int().nullable(),
  /** False when unlicensed: outputs are watermarked and free. */
  licensed: z.boolean(),
  creditsPerOutput: z.number().int().positive(),
});
export type CreditsStatus = z.infer<typeof CreditsStatus>;

export const SyncProjectState = z.enum(['synced', 'pending', 'conflict', 'local-only', 'error']);
export type SyncProjectState = z.infer<typeof SyncProjectState>;

export const SyncConflict = z.object({
  projectId: z.string(),
  mine: z.object({ name: z.string(), modifiedAt: z.number().int() }),
  theirs: z.object({ name: z.string(), modifiedAt: z.number().int(), deleted: z.boolean() }),
});
export type SyncConflict = z.infer<typeof SyncConflict>;

export const SyncStatus = z.object({
  /** False when the machine is not activated: projects stay local. */
  enabled: z.boolean(),
  online: z.boolean(),
  running: z.boolean(),
  lastSyncedAt: z.number().int().nullable(),
  lastError: z.string().nullable(),
  projects: z.array(z.object({ projectId: z.string(), state: SyncProjectState, version: z.number().int().nullable() })),
  conflicts: z.array(SyncConflict),
  /** Pulled documents not applied because they are not valid projects (`name` when it has one), until fixed. */
  rejected: z.array(z.object({ projectId: z.string(), name: z.string().nullable(), message: z.string() })).optional(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const UNLICENSED_WATERMARK = 'Video Mixer Pro — unlicensed';
