/**
 * The revocation deny-list: with Redis, every revoked access token's `jti` is written under
 * `revokedJtiKey(jti)` until the token would have expired anyway, so resource-server guards
 * (`portcullis/guard`, option `revocation`) refuse it without asking the server.
 */
export const REVOKED_JTI_PREFIX = 'portcullis:revoked-jti:';

/**
 * How long past a revoked token's `exp` its entry stays: at least any guard's `clockTolerance`
 * (guards refuse a larger one) plus the clock difference between server and guard.
 */
export const REVOCATION_MARGIN_MS = 120_000;

/** The largest `clockTolerance` a guard accepts, so the deny-list outlives its tolerance. */
export const MAX_GUARD_CLOCK_TOLERANCE_SECONDS = 60;

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
