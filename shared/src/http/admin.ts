import { z } from 'zod';
import { text } from './text.ts';

/** Most credits one admin grant may add or remove. */
export const MAX_ADMIN_GRANT = 1_000_000_000;

import { LicenseStatus, LicenseType } from './licenses.ts';

export const AdminCreateLicenseRequest = z.object({
  email: z.email(),
  type: LicenseType,
  maxActivations: z.number().int().min(1).max(10_000),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type AdminCreateLicenseRequest = z.infer<typeof AdminCreateLicenseRequest>;

export const AdminLicense = z.object({
  licenseKey: z.string(),
  licenseId: z.string(),
  userId: z.string(),
  email: z.string(),
  type: LicenseType,
  status: LicenseStatus,
  maxActivations: z.number().int(),
  expiresAt: z.string().nullable(),
});
export type AdminLicense = z.infer<typeof AdminLicense>;

export const AdminGrantRequest = z.object({
  email: z.email(),
  amount: z
    .number()
    .int()
    .min(-MAX_ADMIN_GRANT)
    .max(MAX_ADMIN_GRANT)
    .refine((n) => n !== 0, 'must not be 0'),
  reason: text(1, 200),
  /** Makes retries safe; generated when absent. */
  idempotencyKey: text(1, 200).optional(),
});
export type AdminGrantRequest = z.infer<typeof AdminGrantRequest>;

export const AdminGrantResponse = z.object({
  userId: z.string(),
  email: z.string(),
  transactionId: z.string(),
  amount: z.number().int(),
  balance: z.number().int(),
  duplicate: z.boolean(),
});
export type AdminGrantResponse = z.infer<typeof AdminGrantResponse>;

export const AdminLicenseKeyParams = z.object({ key: text(1, 100) });
