import type { CoreContext } from '../context.js';
import { digest } from '../secrets.js';
import type { ApiKey } from './api-key.js';
import { parseApiKey } from './key-format.js';

/** Why a presented key does not authenticate (the JSON `error` of the 401). */
export type ApiKeyFailureCode = 'invalid_api_key' | 'api_key_expired' | 'api_key_revoked';

export const API_KEY_FAILURE_CODES: readonly ApiKeyFailureCode[] = [
  'invalid_api_key',
  'api_key_expired',
  'api_key_revoked',
];

/** An expected outcome, not an exception: a value the caller switches on (unkey's style). */
export type ApiKeyVerification =
  { valid: true; apiKey: ApiKey } | { valid: false; code: ApiKeyFailureCode; message: string };

const invalid = {
  valid: false,
  code: 'invalid_api_key',
  message: 'the API key is not valid',
} as const;

/**
 * Checks a presented API key: shape, then a lookup by its SHA-256 digest (cached by digest,
 * never by the key), then revocation, expiry and a rotated key's grace period. An unknown key and
 * a wrong one are the same lookup, so they take the same time and get the same answer.
 */
export async function verifyApiKey(
  ctx: CoreContext,
  presented: string,
): Promise<ApiKeyVerification> {
  if (!parseApiKey(presented, ctx.config.apiKeys.prefix)) return invalid;
  const apiKey = await ctx.repos.apiKeys.findByDigest(digest(presented));
  if (!apiKey) return invalid;
  const now = ctx.clock.now();
  // Revocation is immediate: a node whose clock lags the revoking one's must not wait for it.
  if (apiKey.revokedAt !== null)
    return { valid: false, code: 'api_key_revoked', message: 'the API key has been revoked' };
  if (apiKey.expiresAt !== null && apiKey.expiresAt <= now)
    return { valid: false, code: 'api_key_expired', message: 'the API key has expired' };
  if (apiKey.graceUntil !== null && apiKey.graceUntil <= now) {
    return {
      valid: false,
      code: 'api_key_expired',
      message: 'the API key was rotated and its grace period has ended: use the new key',
    };
  }
  return { valid: true, apiKey };
}
