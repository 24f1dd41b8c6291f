import { z } from 'zod';
import { text } from './text.ts';

export const LicenseType = z.enum(['TRIAL', 'PRO', 'ENTERPRISE']);
export type LicenseType = z.infer<typeof LicenseType>;

export const LicenseStatus = z.enum(['active', 'suspended', 'revoked']);
export type LicenseStatus = z.infer<typeof LicenseStatus>;

export const ActivateRequest = z.object({
  licenseKey: text(1, 100),
  machineId: text(8, 200),
  appVersion: text(1, 50),
  platform: text(1, 50),
  /**
   * Activating again a machine the server knows: proof that this is that machine, HMAC-SHA256 keyed with its
   * current secret over `vmp-reactivate:<machineId>:<nonce>` (base64url). Without it the seat gets a new secret.
   */
  proof: z.object({ nonce: text(16, 100), mac: text(16, 100) }).optional(),
});
export type ActivateRequest = z.infer<typeof ActivateRequest>;

/** Machines activated on a license and how many it allows (added later: older servers leave it out). */
export const Seats = z.object({ used: z.number().int().nonnegative(), max: z.number().int().nonnegative() });
export type Seats = z.infer<typeof Seats>;

export const ActivateResponse = z.object({
  activationId: z.string(),
  /** base64url; used as the UTF-8 HMAC key of every later request of this machine. */
  machineSecret: z.string(),
  /** EdDSA JWT, verifiable offline with /.well-known/jwks.json. */
  lease: z.string(),
  seats: Seats.optional(),
});
export type ActivateResponse = z.infer<typeof ActivateResponse>;

/** Heartbeat body: optional, the app may report its current version. */
export const ValidateRequest = z
  .object({
    appVersion: text(1, 50).optional(),
    /** Head of the machine's usage chain (number and running total): what it used offline, reported or not. */
    usage: z
      .object({
        seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        total: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
      })
      .optional(),
  })
  .nullish();
export type ValidateRequest = z.infer<typeof ValidateRequest>;

export const ValidateResponse = z.object({
  lease: z.string(),
  license: z.object({
    id: z.string(),
    type: LicenseType,
    status: LicenseStatus,
    expiresAt: z.string().nullable(),
    features: z.array(z.string()),
    seats: Seats.optional(),
  }),
});
export type ValidateResponse = z.infer<typeof ValidateResponse>;

/** Claims of the lease JWT (besides iat/exp/iss). */
export const LeaseClaims = z.object({
  sub: z.string(),
  lic: z.string(),
  mid: z.string(),
  typ: LicenseType,
  feat: z.array(z.string()),
  iat: z.number(),
  exp: z.number(),
  iss: z.string(),
  /** Public half (JWK x) of the machine's render-farm job key (shared/src/farm-key.ts); workers verify jobs with it. */
  fjk: z.string().optional(),
  /** Offline credit limit: the usage-chain total this machine may reach without asking (held by the server). */
  ocl: z.number().int().nonnegative().optional(),
  /** Usage-chain total the server had been told of when it signed: a machine whose chain is shorter lost entries. */
  rep: z.number().int().nonnegative().optional(),
});
export type LeaseClaims = z.infer<typeof LeaseClaims>;

export const ActivationInfo = z.object({
  id: z.string(),
  machineId: z.string(),
  platform: z.string(),
  appVersion: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
});
export type ActivationInfo = z.infer<typeof ActivationInfo>;

export const LicenseInfo = z.object({
  id: z.string(),
  key: z.string(),
  type: LicenseType,
  status: LicenseStatus,
  maxActivations: z.number().int(),
  expiresAt: z.string().nullable(),
  features: z.array(z.string()),
  createdAt: z.string(),
  activations: z.array(ActivationInfo),
});
export type LicenseInfo = z.infer<typeof LicenseInfo>;

export const ActivationParams = z.object({ licenseId: z.uuid(), activationId: z.uuid() });
export type ActivationParams = z.infer<typeof ActivationParams>;

export const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
export type Jwks = z.infer<typeof Jwks>;
