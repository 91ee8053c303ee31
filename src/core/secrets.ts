import { createHash, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new opaque secret: 32 random bytes (256 bits), base64url. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 of a secret, hex: what we store instead of the secret. */
export function digest(secret: string): string {
  // The one-shot form: no Hash object per call (it sits on the API-key and token hot paths).
  return hash('sha256', secret, 'hex');
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  // Hashing first makes the comparison length-independent too.
  return timingSafeEqual(left, right) && a.length === b.length;
}

/**
 * Compares two SHA-256 hex digests in constant time. Both have a fixed length, so no extra
 * hashing is needed (this sits on the token endpoint's hot path).
 */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}
