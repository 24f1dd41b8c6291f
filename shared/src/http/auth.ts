import { z } from 'zod';

/** Emails are compared trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const Credentials = z.object({
  email: z.email().max(254),
  password: z.string().min(8, 'at least 8 characters').max(256),
});
export type Credentials = z.infer<typeof Credentials>;

export const UserInfo = z.object({ id: z.string(), email: z.string() });
export type UserInfo = z.infer<typeof UserInfo>;

export const AuthResponse = z.object({
  user: UserInfo,
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
});
export type AuthResponse = z.infer<typeof AuthResponse>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(1).max(512) });
export type RefreshRequest = z.infer<typeof RefreshRequest>;
