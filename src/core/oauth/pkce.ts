import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../secrets.js';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

/** RFC 7636 §4.1 code_verifier syntax. */
export const isValidCodeVerifier = (v: string): boolean => VERIFIER.test(v);
/** An S256 challenge is a base64url SHA-256: 43 characters. */
export const isValidS256Challenge = (c: string): boolean => CHALLENGE.test(c);

/** RFC 7636 §4.6: BASE64URL(SHA256(verifier)) === challenge. */
export function verifyS256(verifier: string, challenge: string): boolean {
  const computed = createHash('sha256').update(verifier).digest('base64url');
  return constantTimeEqual(computed, challenge);
}
