import {
  BadSignatureError,
  LicenseExpiredError,
  LicenseRevokedError,
  LicenseSuspendedError,
  ReplayedRequestError,
  StaleRequestError,
  UnauthenticatedError,
} from '@vmp/shared/http';
import {
  checkTimestamp,
  isValidNonce,
  MAX_CLOCK_SKEW_SECONDS,
  SIGNATURE_HEADERS,
  verifySignature,
} from '@vmp/shared/signing';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { MachineIdentity } from '../context.ts';
import { prepared } from '../db/index.ts';
import { activations, licenses, requestNonces } from '../db/schema.ts';
import { consumeNonce } from './nonces.ts';

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

interface SignedHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  /** When the nonce may be forgotten: the timestamp can no longer pass the window by then. */
  nonceExpiresAt: Date;
}

/** Header presence, timestamp window and nonce format: everything that needs no key. */
function checkSignedHeaders(req: FastifyRequest): SignedHeaders {
  const timestamp = header(req, SIGNATURE_HEADERS.timestamp);
  const nonce = header(req, SIGNATURE_HEADERS.nonce);
  const signature = header(req, SIGNATURE_HEADERS.signature);
  if (!timestamp || !nonce || !signature) {
    throw new UnauthenticatedError(
      'Signed request headers X-VMP-Timestamp, X-VMP-Nonce and X-VMP-Signature are required.',
    );
  }
  const nowSeconds = Math.floor(Date.now() / 1000);
  const time = checkTimestamp(timestamp, nowSeconds);
  if (time === 'malformed') throw new BadSignatureError('X-VMP-Timestamp must be unix seconds.');
  if (time === 'stale') throw new StaleRequestError();
  if (!isValidNonce(nonce)) throw new BadSignatureError('X-VMP-Nonce must be at least 16 random bytes, base64url.');
  const nonceExpiresAt = new Date((Math.max(Number(timestamp), nowSeconds) + MAX_CLOCK_SKEW_SECONDS + 60) * 1000);
  return { timestamp, nonce, signature, nonceExpiresAt };
}

/** HMAC over the raw bytes, constant-time. */
function checkSignature(req: FastifyRequest, key: string, signed: SignedHeaders): void {
  const { timestamp, nonce, signature } = signed;
  const ok = verifySignature({
    key,
    method: req.method,
    path: req.url,
    body: req.rawBody,
    timestamp,
    nonce,
    signature,
  });
  if (!ok) throw new BadSignatureError();
}

/**
 * Checks the X-VMP-* signature of a request against `key`: timestamp window, HMAC over the raw bytes,
 * then the nonce (recorded only once the signature holds, so forged requests cannot burn nonces).
 */
export async function verifySignedRequest(req: FastifyRequest, key: string): Promise<void> {
  const signed = checkSignedHeaders(req);
  checkSignature(req, key, signed);
  await consumeNonce(req.server.ctx.database.nonceDb, signed.nonce, signed.nonceExpiresAt);
}

/** Throws the typed error of a license that cannot be used now. */
export function assertLicenseUsable(
  license: Pick<typeof licenses.$inferSelect, 'status' | 'expiresAt'>,
  now = new Date(),
): void {
  if (license.status === 'revoked') throw new LicenseRevokedError();
  if (license.status === 'suspended') throw new LicenseSuspendedError();
  if (license.expiresAt && license.expiresAt.getTime() <= now.getTime()) {
    throw new LicenseExpiredError(license.expiresAt.toISOString());
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Machine secrets never change for an activation id, so they are cached: a request from a known machine
 * is verified before touching the database, then one statement records the nonce and reads the current
 * activation and license (deactivation, suspension and expiry are always read fresh).
 */
const secretsByDb = new WeakMap<object, Map<string, string>>();
const MAX_CACHED_SECRETS = 100_000;

function secretCache(req: FastifyRequest): Map<string, string> {
  let cache = secretsByDb.get(req.server.ctx.db);
  if (!cache) {
    cache = new Map();
    secretsByDb.set(req.server.ctx.db, cache);
  }
  if (cache.size >= MAX_CACHED_SECRETS) cache.clear();
  return cache;
}

async function lookupSecret(req: FastifyRequest, activationId: string): Promise<string | undefined> {
  const statement = prepared(req.server.ctx.db, 'activation_secret', (db, name) =>
    db
      .select({ secret: activations.secret })
      .from(activations)
      .where(eq(activations.id, sql.placeholder('id')))
      .prepare(name),
  );
  const [row] = await statement.execute({ id: activationId });
  return row?.secret;
}

/**
 * One round trip: records the nonce, marks the machine as seen (at most once a minute), and reads the
 * activation with its license (only the columns requests use). Runs on the nonce pool: losing a last-seen
 * time in a PostgreSQL crash is as harmless as losing a nonce.
 */
async function consumeNonceAndLoad(req: FastifyRequest, activationId: string, signed: SignedHeaders) {
  const statement = prepared(req.server.ctx.database.nonceDb, 'nonce_and_machine', (db, name) => {
    const fresh = db.$with('fresh').as(
      db
        .insert(requestNonces)
        .values({ nonce: sql.placeholder('nonce'), expiresAt: sql.placeholder('expiresAt') })
        .onConflictDoNothing()
        .returning({ nonce: requestNonces.nonce }),
    );
    const seen = db.$with('seen').as(
      db
        .update(activations)
        .set({ lastSeenAt: sql`now()` })
        .where(
          and(eq(activations.id, sql.placeholder('id')), lt(activations.lastSeenAt, sql`now() - interval '1 minute'`)),
        )
        .returning({ id: activations.id }),
    );
    return db
      .with(fresh, seen)
      .select({
        activationId: activations.id,
        machineId: activations.machineId,
        appVersion: activations.appVersion,
        secret: activations.secret,
        license: {
          id: licenses.id,
          userId: licenses.userId,
          type: licenses.type,
          status: licenses.status,
          expiresAt: licenses.expiresAt,
        },
        seatsMax: licenses.maxActivations,
        seatsUsed:
          sql<number>`(select count(*) from ${activations} seat where seat.license_id = ${licenses.id})`.mapWith(
            Number,
          ),
        fresh: sql<boolean>`exists (select 1 from ${fresh})`.mapWith(Boolean),
      })
      .from(activations)
      .innerJoin(licenses, eq(licenses.id, activations.licenseId))
      .where(eq(activations.id, sql.placeholder('id')))
      .prepare(name);
  });
  const [row] = await statement.execute({ id: activationId, nonce: signed.nonce, expiresAt: signed.nonceExpiresAt });
  return row;
}

async function loadMachine(req: FastifyRequest): Promise<MachineIdentity> {
  const activationId = header(req, SIGNATURE_HEADERS.activation);
  if (!activationId || !UUID.test(activationId)) {
    throw new UnauthenticatedError('X-VMP-Activation must carry the activation id of this machine.');
  }
  const signed = checkSignedHeaders(req);
  const notActivated = () =>
    new UnauthenticatedError('This machine is not activated (or was deactivated); activate it again.');
  const secrets = secretCache(req);
  let secret = secrets.get(activationId);
  if (!secret) {
    secret = await lookupSecret(req, activationId);
    if (!secret) throw notActivated();
    // Cached only once a request proved it knows the secret, so made-up ids cannot fill the cache.
    checkSignature(req, secret, signed);
    secrets.set(activationId, secret);
  } else {
    try {
      checkSignature(req, secret, signed);
    } catch (error) {
      // The seat may have been given a new secret (activated again) since it was cached here.
      const current = await lookupSecret(req, activationId);
      if (!current || current === secret) throw error;
      checkSignature(req, current, signed);
      secret = current;
      secrets.set(activationId, secret);
    }
  }
  const row = await consumeNonceAndLoad(req, activationId, signed);
  if (!row || row.secret !== secret) {
    // Gone, or activated again without proof of the old secret (a new one was issued): the cached one is stale.
    secrets.delete(activationId);
    req.server.ctx.leases.forget(activationId);
    throw notActivated();
  }
  if (!row.fresh) throw new ReplayedRequestError();
  const machine: MachineIdentity = {
    activationId: row.activationId,
    machineId: row.machineId,
    appVersion: row.appVersion,
    secret,
    license: row.license,
    seats: { used: row.seatsUsed, max: row.seatsMax },
  };
  req.userId = row.license.userId;
  req.machine = machine;
  return machine;
}

/** preValidation hook: a signed request from an activated machine whose license is usable. */
export async function machineGuard(req: FastifyRequest): Promise<void> {
  const machine = await loadMachine(req);
  try {
    assertLicenseUsable(machine.license);
  } catch (error) {
    // A lease remembered from before a suspension is not handed out after a reinstatement: sign afresh then.
    req.server.ctx.leases.forget(machine.activationId);
    throw error;
  }
}

/** When the machine's license stopped being usable (suspended, revoked, expired), or null while it is usable. */
export async function usableUntil(
  ctx: { db: import('../db/index.ts').Db },
  machine: MachineIdentity,
  now = new Date(),
): Promise<Date | null> {
  const { license } = machine;
  const expired = license.expiresAt && license.expiresAt.getTime() <= now.getTime() ? license.expiresAt : null;
  if (license.status === 'active') return expired;
  const [row] = await ctx.db
    .select({ since: licenses.unusableSince })
    .from(licenses)
    .where(eq(licenses.id, license.id));
  const since = row?.since ?? new Date(0);
  return expired && expired < since ? expired : since;
}

/** preValidation hook for deactivation: a suspended or expired license may still free its seat. */
export async function machineGuardAnyStatus(req: FastifyRequest): Promise<void> {
  await loadMachine(req);
}
