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
import { eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
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

type LicenseRow = typeof licenses.$inferSelect;

/** Throws the typed error of a license that cannot be used now. */
export function assertLicenseUsable(license: LicenseRow, now = new Date()): void {
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

type MachineRow = { activation: typeof activations.$inferSelect; license: LicenseRow };

async function lookupActivation(req: FastifyRequest, activationId: string): Promise<MachineRow | undefined> {
  const statement = prepared(req.server.ctx.db, 'load_activation', (db, name) =>
    db
      .select({ activation: activations, license: licenses })
      .from(activations)
      .innerJoin(licenses, eq(licenses.id, activations.licenseId))
      .where(eq(activations.id, sql.placeholder('id')))
      .prepare(name),
  );
  const [row] = await statement.execute({ id: activationId });
  return row;
}

/** Records the nonce and reads the activation with its license in one round trip. */
async function consumeNonceAndLookup(req: FastifyRequest, activationId: string, signed: SignedHeaders) {
  const statement = prepared(req.server.ctx.database.nonceDb, 'nonce_and_activation', (db, name) => {
    const fresh = db.$with('fresh').as(
      db
        .insert(requestNonces)
        .values({ nonce: sql.placeholder('nonce'), expiresAt: sql.placeholder('expiresAt') })
        .onConflictDoNothing()
        .returning({ nonce: requestNonces.nonce }),
    );
    return db
      .with(fresh)
      .select({
        activation: activations,
        license: licenses,
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

async function loadMachine(req: FastifyRequest): Promise<MachineRow> {
  const activationId = header(req, SIGNATURE_HEADERS.activation);
  if (!activationId || !UUID.test(activationId)) {
    throw new UnauthenticatedError('X-VMP-Activation must carry the activation id of this machine.');
  }
  const signed = checkSignedHeaders(req);
  const notActivated = () =>
    new UnauthenticatedError('This machine is not activated (or was deactivated); activate it again.');
  let row: MachineRow | undefined;
  const secrets = secretCache(req);
  const cached = secrets.get(activationId);
  if (cached) {
    checkSignature(req, cached, signed);
    const result = await consumeNonceAndLookup(req, activationId, signed);
    if (!result) {
      secrets.delete(activationId);
      throw notActivated();
    }
    if (!result.fresh) throw new ReplayedRequestError();
    row = result;
  } else {
    row = await lookupActivation(req, activationId);
    if (!row) throw notActivated();
    checkSignature(req, row.activation.secret, signed);
    await consumeNonce(req.server.ctx.database.nonceDb, signed.nonce, signed.nonceExpiresAt);
    secrets.set(activationId, row.activation.secret);
  }
  req.userId = row.license.userId;
  req.machine = {
    activationId: row.activation.id,
    licenseId: row.license.id,
    userId: row.license.userId,
    machineId: row.activation.machineId,
    license: row.license,
    activation: row.activation,
  };
  return row;
}

/** preValidation hook: a signed request from an activated machine whose license is usable. */
export async function machineGuard(req: FastifyRequest): Promise<void> {
  const row = await loadMachine(req);
  assertLicenseUsable(row.license);
}

/** preValidation hook for deactivation: a suspended or expired license may still free its seat. */
export async function machineGuardAnyStatus(req: FastifyRequest): Promise<void> {
  await loadMachine(req);
}
