import { timingSafeEqual } from 'node:crypto';
import { farmJobKey } from '@vmp/shared/farm-key';
import {
  type ActivateRequest,
  ActivationLimitError,
  type AdminCreateLicenseRequest,
  type LicenseInfo,
  NotFoundError,
  normalizeEmail,
} from '@vmp/shared/http';
import { reactivationProof } from '@vmp/shared/signing';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { AppContext, MachineIdentity } from '../context.ts';
import { grantAllowance, releaseAllowance } from '../credits/allowance.ts';
import { activations, licenses, users } from '../db/schema.ts';
import { newLicenseKey, randomToken } from '../lib/crypto.ts';
import { LICENSE_FEATURES, signLease } from './lease.ts';
import { leaseFacts } from './lease-reuse.ts';
import { assertLicenseUsable } from './machine-auth.ts';
import { consumeNonce } from './nonces.ts';

type License = typeof licenses.$inferSelect;
type Activation = typeof activations.$inferSelect;

/** A freshly signed lease for this activation and the license's current state. */
export function issueLease(
  ctx: AppContext,
  activation: Pick<Activation, 'id' | 'machineId'> & { secret?: string | undefined },
  license: Pick<License, 'id' | 'type' | 'expiresAt'>,
  allowance: { limit: number; reported: number },
  now = new Date(ctx.leases.now()),
): Promise<string> {
  return signLease(
    {
      activationId: activation.id,
      licenseId: license.id,
      machineId: activation.machineId,
      type: license.type,
      licenseExpiresAt: license.expiresAt,
      issuer: ctx.config.issuer,
      ttlSeconds: ctx.config.leaseTtlSeconds,
      now,
      ...(activation.secret ? { farmKey: farmJobKey(activation.secret).x } : {}),
      offlineLimit: allowance.limit,
      offlineReported: allowance.reported,
    },
    ctx.keys.leaseSigningKey,
    ctx.keys.kid,
  );
}

/** The proof an activating machine sent was made with the seat's current secret, over a nonce used once. */
async function proofHolds(
  ctx: AppContext,
  activation: Pick<Activation, 'secret' | 'machineId'>,
  proof: { nonce: string; mac: string },
): Promise<boolean> {
  const want = Buffer.from(reactivationProof(activation.secret, activation.machineId, proof.nonce));
  const got = Buffer.from(proof.mac);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return false;
  try {
    await consumeNonce(ctx.database.nonceDb, `reactivate:${proof.nonce}`, new Date(Date.now() + 3600_000));
    return true;
  } catch {
    return false;
  }
}

/** Seats of a license: machines activated now, and how many it allows. */
export async function seatsOf(ctx: AppContext, licenseId: string): Promise<{ used: number; max: number }> {
  const [[license], [activated]] = await Promise.all([
    ctx.db.select({ max: licenses.maxActivations }).from(licenses).where(eq(licenses.id, licenseId)),
    ctx.db.select({ used: count() }).from(activations).where(eq(activations.licenseId, licenseId)),
  ]);
  return { used: activated?.used ?? 0, max: license?.max ?? 0 };
}

export async function findLicenseByKey(ctx: AppContext, key: string): Promise<License | undefined> {
  const [row] = await ctx.db.select().from(licenses).where(eq(licenses.key, key.trim().toUpperCase()));
  return row;
}

/**
 * Takes a seat for a machine. The license row is locked, so concurrent activations are counted one
 * at a time and never exceed maxActivations. The same machine again gets its existing activation.
 */
export async function activate(ctx: AppContext, licenseId: string, input: ActivateRequest) {
  const result = await ctx.db.transaction(async (tx) => {
    const [license] = await tx.select().from(licenses).where(eq(licenses.id, licenseId)).for('update');
    if (!license) throw new NotFoundError('License not found.');
    assertLicenseUsable(license);
    const [existing] = await tx
      .select()
      .from(activations)
      .where(and(eq(activations.licenseId, licenseId), eq(activations.machineId, input.machineId)));
    if (existing) {
      // The seat's secret goes back only to the machine that proves it holds it; anyone else with the license key
      // and the machine id gets a new secret (and the old one stops working).
      const proven = input.proof !== undefined && (await proofHolds(ctx, existing, input.proof));
      const [updated] = await tx
        .update(activations)
        .set({
          appVersion: input.appVersion,
          platform: input.platform,
          lastSeenAt: new Date(),
          ...(proven ? {} : { secret: randomToken() }),
        })
        .where(eq(activations.id, existing.id))
        .returning();
      return { license, activation: updated!, created: false };
    }
    const [{ value: used } = { value: 0 }] = await tx
      .select({ value: count() })
      .from(activations)
      .where(eq(activations.licenseId, licenseId));
    if (used >= license.maxActivations) throw new ActivationLimitError(license.maxActivations);
    const [activation] = await tx
      .insert(activations)
      .values({
        licenseId,
        machineId: input.machineId,
        appVersion: input.appVersion,
        platform: input.platform,
        secret: randomToken(),
      })
      .returning();
    return { license, activation: activation!, created: true };
  });
  if (result.created) ctx.metrics.activations.inc();
  const allowance = await grantAllowance(ctx, result.license.userId, result.activation.id);
  const [lease, seats] = await Promise.all([
    issueLease(ctx, result.activation, result.license, allowance),
    seatsOf(ctx, result.license.id),
  ]);
  return { activationId: result.activation.id, machineSecret: result.activation.secret, lease, seats };
}

/**
 * Heartbeat: the machine's current lease while nothing it asserts changed and it is young enough, else a
 * fresh one. The machine guard already marked the machine as seen; only a new app version needs a write here.
 */
export async function validate(
  ctx: AppContext,
  machine: MachineIdentity,
  appVersion?: string,
  usage?: { seq: number; total: number },
) {
  if (appVersion && appVersion !== machine.appVersion) {
    await ctx.db.update(activations).set({ appVersion }).where(eq(activations.id, machine.activationId));
  }
  const { license } = machine;
  // The offline allowance is held again before the lease that grants it is signed (or handed out again).
  const allowance = await grantAllowance(ctx, license.userId, machine.activationId, usage);
  const signer = `${ctx.config.issuer} ${ctx.config.leaseTtlSeconds} ${ctx.keys.kid}`;
  const facts = leaseFacts(machine, `${signer} ${allowance.limit} ${allowance.reported}`);
  const lease = await ctx.leases.lease(machine.activationId, facts, (now) =>
    issueLease(
      ctx,
      { id: machine.activationId, machineId: machine.machineId, secret: machine.secret },
      license,
      allowance,
      now,
    ),
  );
  return {
    lease,
    license: {
      seats: machine.seats,
      id: license.id,
      type: license.type,
      status: license.status,
      expiresAt: license.expiresAt?.toISOString() ?? null,
      features: LICENSE_FEATURES[license.type],
    },
  };
}

export async function deactivate(ctx: AppContext, activationId: string): Promise<void> {
  await ctx.db.delete(activations).where(eq(activations.id, activationId));
  // The app deactivates only once its offline usage is reported: its allowance is free again.
  await releaseAllowance(ctx, activationId);
}

/** Frees a seat from the account owner's side; only their own licenses' activations. */
export async function removeActivation(ctx: AppContext, userId: string, licenseId: string, activationId: string) {
  const owned = ctx.db
    .select({ id: licenses.id })
    .from(licenses)
    .where(and(eq(licenses.id, licenseId), eq(licenses.userId, userId)));
  const deleted = await ctx.db
    .delete(activations)
    .where(
      and(
        eq(activations.id, activationId),
        eq(activations.licenseId, licenseId),
        inArray(activations.licenseId, owned),
      ),
    )
    .returning({ id: activations.id });
  if (deleted.length === 0) throw new NotFoundError('No such activation on your licenses.');
}

export async function licensesOfUser(ctx: AppContext, userId: string): Promise<LicenseInfo[]> {
  const rows = await ctx.db.select().from(licenses).where(eq(licenses.userId, userId)).orderBy(asc(licenses.createdAt));
  if (rows.length === 0) return [];
  const acts = await ctx.db
    .select()
    .from(activations)
    .where(
      inArray(
        activations.licenseId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(activations.createdAt));
  return rows.map((l) => ({
    id: l.id,
    key: l.key,
    type: l.type,
    status: l.status,
    maxActivations: l.maxActivations,
    expiresAt: l.expiresAt?.toISOString() ?? null,
    features: LICENSE_FEATURES[l.type],
    createdAt: l.createdAt.toISOString(),
    activations: acts
      .filter((a) => a.licenseId === l.id)
      .map((a) => ({
        id: a.id,
        machineId: a.machineId,
        platform: a.platform,
        appVersion: a.appVersion,
        createdAt: a.createdAt.toISOString(),
        lastSeenAt: a.lastSeenAt.toISOString(),
      })),
  }));
}

export async function findUserByEmail(ctx: AppContext, email: string) {
  const [user] = await ctx.db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  if (!user) throw new NotFoundError(`No account for ${normalizeEmail(email)}; the user must register first.`);
  return user;
}

function adminView(license: License, email: string) {
  return {
    licenseKey: license.key,
    licenseId: license.id,
    userId: license.userId,
    email,
    type: license.type,
    status: license.status,
    maxActivations: license.maxActivations,
    expiresAt: license.expiresAt?.toISOString() ?? null,
  };
}

export async function createLicense(ctx: AppContext, input: AdminCreateLicenseRequest) {
  const user = await findUserByEmail(ctx, input.email);
  const [license] = await ctx.db
    .insert(licenses)
    .values({
      userId: user.id,
      key: newLicenseKey(),
      type: input.type,
      maxActivations: input.maxActivations,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    })
    .returning();
  return adminView(license!, user.email);
}

export async function setLicenseStatus(ctx: AppContext, key: string, status: 'active' | 'suspended' | 'revoked') {
  const [license] = await ctx.db
    .update(licenses)
    .set({ status, unusableSince: status === 'active' ? null : new Date() })
    .where(eq(licenses.key, key.trim().toUpperCase()))
    .returning();
  if (!license) throw new NotFoundError('No license with this key.');
  const [user] = await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, license.userId));
  return adminView(license, user!.email);
}
