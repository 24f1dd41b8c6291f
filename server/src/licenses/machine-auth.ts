import {
  BadSignatureError,
  LicenseExpiredError,
  LicenseRevokedError,
  LicenseSuspendedError,
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
import { activations, licenses } from '../db/schema.ts';
import { consumeNonce } from './nonces.ts';

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Checks the X-VMP-* signature of a request against `key`: timestamp window, HMAC over the raw bytes,
 * then the nonce (recorded only once the signature holds, so forged requests cannot burn nonces).
 */
export async function verifySignedRequest(req: FastifyRequest, key: string): Promise<void> {
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
  const expiresAt = new Date((Math.max(Number(timestamp), nowSeconds) + MAX_CLOCK_SKEW_SECONDS + 60) * 1000);
  await consumeNonce(req.server.ctx.database.nonceDb, nonce, expiresAt);
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

async function loadMachine(req: FastifyRequest) {
  const activationId = header(req, SIGNATURE_HEADERS.activation);
  if (!activationId || !UUID.test(activationId)) {
    throw new UnauthenticatedError('X-VMP-Activation must carry the activation id of this machine.');
  }
  const loadActivation = prepared(req.server.ctx.db, 'load_activation', (db, name) =>
    db
      .select({ activation: activations, license: licenses })
      .from(activations)
      .innerJoin(licenses, eq(licenses.id, activations.licenseId))
      .where(eq(activations.id, sql.placeholder('id')))
      .prepare(name),
  );
  const [row] = await loadActivation.execute({ id: activationId });
  if (!row) throw new UnauthenticatedError('This machine is not activated (or was deactivated); activate it again.');
  await verifySignedRequest(req, row.activation.secret);
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
