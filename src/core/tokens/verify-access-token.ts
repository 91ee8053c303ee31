import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { CoreContext } from '../context.js';

import type { AccessTokenRecord } from './access-token-record.js';

export interface ActiveAccessToken {
  claims: JWTPayload & { client_id: string; scope: string };
  record: AccessTokenRecord;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export const looksLikeJwt = (token: string): boolean => JWT_SHAPE.test(token);

/**
 * Verifies one of our access tokens and checks it is still live: signature by a key we
 * published (algorithm pinned to that key: `alg: none` and HS256-with-the-public-key fail),
 * `typ: at+jwt`, issuer, expiry, and the database record (not revoked, client not revoked,
 * user not disabled). Returns undefined for anything else; never throws for bad input.
 */
export async function verifyAccessToken(
  ctx: CoreContext,
  token: string,
): Promise<ActiveAccessToken | undefined> {
  if (!looksLikeJwt(token)) return undefined;
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return undefined;
  }
  if (!kid) return undefined;
  const key = await ctx.keys.verificationKey(kid);
  if (!key) return undefined;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.key, {
      algorithms: [key.alg],
      issuer: ctx.config.issuer,
      typ: 'at+jwt',
      currentDate: new Date(ctx.clock.now()),
    }));
  } catch {
    return undefined;
  }
  if (typeof payload.jti !== 'string' || typeof payload.client_id !== 'string') return undefined;
  const record = await ctx.repos.accessTokens.findByJti(payload.jti);
  if (!record || record.revokedAt !== null || record.expiresAt <= ctx.clock.now()) return undefined;
  const client = await ctx.repos.clients.findById(record.clientId);
  if (!client || client.revokedAt !== null) return undefined;
  if (record.userId) {
    const user = await ctx.repos.users.findById(record.userId);
    if (!user || user.disabledAt !== null) return undefined;
  }
  return { claims: payload as ActiveAccessToken['claims'], record };
}
