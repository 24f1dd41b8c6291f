import type { KeyObject } from 'node:crypto';
import { UnauthenticatedError } from '@vmp/shared/http';
import { SIGNATURE_HEADERS } from '@vmp/shared/signing';
import type { FastifyRequest } from 'fastify';
import { machineGuard } from '../licenses/machine-auth.ts';
import { bearerToken, createAccessTokenVerifier } from './tokens.ts';

const verifiers = new WeakMap<KeyObject, (token: string) => Promise<string>>();

function verifierFor(key: KeyObject, issuer: string): (token: string) => Promise<string> {
  let verify = verifiers.get(key);
  if (!verify) {
    verify = createAccessTokenVerifier(key, issuer);
    verifiers.set(key, verify);
  }
  return verify;
}

/** preValidation hook: the account owner, by access token. Sets req.userId. */
export async function userGuard(req: FastifyRequest): Promise<void> {
  const token = bearerToken(req.headers.authorization);
  if (!token) throw new UnauthenticatedError();
  const { keys, config } = req.server.ctx;
  req.userId = await verifierFor(keys.accessKey, config.issuer)(token);
}

/** preValidation hook: an access token, or else a signed machine request. Sets req.userId either way. */
export async function userOrMachineGuard(req: FastifyRequest): Promise<void> {
  if (req.headers.authorization || !req.headers[SIGNATURE_HEADERS.activation]) return userGuard(req);
  return machineGuard(req);
}
