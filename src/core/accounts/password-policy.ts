import { InvalidInputError } from '../entity-errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

/** Longest password accepted: argon2 hashes anything, but megabytes of it are a DoS. */
const MAX_LENGTH = 256;

/**
 * NIST SP 800-63B: a minimum length (12 by default), a maximum, no composition rules, and
 * no password from the common-passwords list nor one made of the account's own email.
 * @throws InvalidInputError naming the rule broken.
 */
export function checkPasswordPolicy(password: string, minLength: number, email?: string): void {
  const length = [...password.normalize('NFC')].length;
  if (length < minLength)
    throw new InvalidInputError(`the password must be at least ${minLength} characters`);
  if (length > MAX_LENGTH)
    throw new InvalidInputError(`the password must be at most ${MAX_LENGTH} characters`);
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(password))
    throw new InvalidInputError('this password is one of the most common ones: choose another');
  if (email && (lower === email.toLowerCase() || lower === email.split('@')[0]!.toLowerCase()))
    throw new InvalidInputError('the password must not be the email address');
}
