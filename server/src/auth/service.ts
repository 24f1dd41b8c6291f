import { ConflictError, normalizeEmail, UnauthenticatedError } from '@vmp/shared/http';
import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { creditAccounts, refreshTokens, users } from '../db/schema.ts';
import { hashPassword, hashToken, randomToken, verifyPassword } from '../lib/crypto.ts';
import { signAccessToken } from './tokens.ts';

export interface AuthResult {
  user: { id: string; email: string };
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

// Verified when the email is unknown, so a miss costs as long as a wrong password.
const DUMMY_HASH = hashPassword('not-a-real-password');

async function issueTokens(
  ctx: AppContext,
  user: { id: string; email: string },
  familyId?: string,
  db: Queryable = ctx.db,
) {
  const refreshToken = randomToken();
  await db.insert(refreshTokens).values({
    userId: user.id,
    familyId: familyId ?? crypto.randomUUID(),
    tokenHash: hashToken(refreshToken),
    expiresAt: new Date(Date.now() + ctx.config.refreshTokenTtlSeconds * 1000),
  });
  const accessToken = await signAccessToken(
    ctx.keys.accessKey,
    ctx.config.issuer,
    user.id,
    ctx.config.accessTokenTtlSeconds,
  );
  return { user, accessToken, refreshToken, expiresIn: ctx.config.accessTokenTtlSeconds };
}

export async function register(ctx: AppContext, email: string, password: string): Promise<AuthResult> {
  const normalized = normalizeEmail(email);
  const passwordHash = await hashPassword(password);
  const user = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ email: normalized, passwordHash })
      .onConflictDoNothing()
      .returning({ id: users.id, email: users.email });
    if (!row) throw new ConflictError('An account with this email exists already; sign in instead.');
    await tx.insert(creditAccounts).values({ userId: row.id });
    return row;
  });
  return issueTokens(ctx, user);
}

export async function login(ctx: AppContext, email: string, password: string): Promise<AuthResult> {
  const [row] = await ctx.db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  const ok = await verifyPassword(password, row?.passwordHash ?? (await DUMMY_HASH));
  if (!row || !ok) throw new UnauthenticatedError('Wrong email or password.');
  return issueTokens(ctx, { id: row.id, email: row.email });
}

/** Rotates a refresh token. Presenting an already rotated token revokes its whole family (likely stolen). */
export async function refresh(ctx: AppContext, token: string): Promise<AuthResult> {
  const outcome = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashToken(token)))
      .for('update');
    if (!row) return { error: 'The refresh token is unknown.' } as const;
    if (row.revokedAt) {
      await tx
        .update(refreshTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)));
      return { error: 'The refresh token was already used; sign in again.' } as const;
    }
    if (row.expiresAt.getTime() <= Date.now()) return { error: 'The refresh token expired; sign in again.' } as const;
    await tx.update(refreshTokens).set({ revokedAt: new Date() }).where(eq(refreshTokens.id, row.id));
    const [user] = await tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, row.userId));
    // The successor is written in the same transaction, so a concurrent reuse that revokes the family sees it.
    return { tokens: await issueTokens(ctx, user!, row.familyId, tx) } as const;
  });
  if ('error' in outcome) throw new UnauthenticatedError(outcome.error);
  return outcome.tokens;
}

/** Revokes the login the token belongs to. Unknown tokens are ignored: logging out twice is fine. */
export async function logout(ctx: AppContext, token: string): Promise<void> {
  const [row] = await ctx.db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashToken(token)));
  if (!row) return;
  await ctx.db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)));
}
