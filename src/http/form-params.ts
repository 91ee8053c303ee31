import { invalidRequest } from '../core/oauth/errors.js';

/**
 * Flattens a parsed form or query into single values. RFC 6749 §3.1: parameters must not be
 * repeated, and one sent twice is an `invalid_request`, not a silent pick.
 */
export function singleValued(input: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (!input || typeof input !== 'object') return out;
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (Array.isArray(value)) throw invalidRequest(`parameter ${key} was sent more than once`);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw invalidRequest(`parameter ${key} must be a string`);
    // No identifier, secret or name of ours contains NUL, and PostgreSQL text cannot hold it.
    if (value.includes('\0')) throw invalidRequest(`parameter ${key} contains a NUL character`);
    // An empty value is treated as absent (RFC 6749 §3.1).
    if (value !== '') out[key] = value;
  }
  return out;
}
