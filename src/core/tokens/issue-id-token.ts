import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { CoreContext } from '../context.js';
import { seconds } from '../clock.js';
import type { User } from '../users/user.js';

export interface IssueIdTokenOptions {
  user: User;
  clientId: string;
  scopes: string[];
  accessToken: string;
  nonce: string | null;
  authTime: number | null;
}

/** OIDC Core §3.1.3.6: the left half of the access token's hash, base64url. */
export function accessTokenHash(accessToken: string, alg: string): string {
  const hash = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(accessToken)
    .digest();
  return hash.subarray(0, hash.length / 2).toString('base64url');
}

/** The claims `profile` and `email` scopes release, shared by the id_token and userinfo. */
export function userInfoClaims(user: User, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.id };
  if (scopes.includes('email')) {
    claims.email = user.email;
    claims.email_verified = user.emailVerifiedAt !== null;
  }
  if (scopes.includes('profile') && user.name) claims.name = user.name;
  return claims;
}

/** Signs an OpenID Connect id_token for `clientId` with `nonce` and `at_hash`. */
export async function issueIdToken(
  ctx: CoreContext,
  options: IssueIdTokenOptions,
): Promise<string> {
  const iat = seconds(ctx.clock.now());
  const { kid, alg, privateKey } = ctx.keys.signing;
  const claims: Record<string, unknown> = {
    ...userInfoClaims(options.user, options.scopes),
    at_hash: accessTokenHash(options.accessToken, alg),
  };
  if (options.nonce) claims.nonce = options.nonce;
  if (options.authTime) claims.auth_time = seconds(options.authTime);
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(ctx.config.issuer)
    .setSubject(options.user.id)
    .setAudience(options.clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ctx.config.idTokenExpireMinutes * 60)
    .sign(privateKey);
}
