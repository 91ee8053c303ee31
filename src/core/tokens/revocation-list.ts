/**
 * The revocation deny-list: with Redis, every revoked access token's `jti` is written under
 * `revokedJtiKey(jti)` until the token would have expired anyway, so resource-server guards
 * (`portcullis/guard`, option `revocation`) refuse it without asking the server.
 */
export const REVOKED_JTI_PREFIX = 'portcullis:revoked-jti:';

export const revokedJtiKey = (jti: string): string => `${REVOKED_JTI_PREFIX}${jti}`;

/** A revoked access token: its id and when it expires (epoch ms). */
export interface RevokedAccessToken {
  jti: string;
  expiresAt: number;
}

/** Where revocations are announced to resource servers. */
export interface RevocationList {
  add(tokens: readonly RevokedAccessToken[]): Promise<void>;
}
