import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

// OWASP 2024 argon2id baseline: m=19 MiB, t=2, p=1.
const OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id: a const enum, unusable under verbatimModuleSyntax */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** bcrypt as Laravel (`$2y$`), passlib and most others write it. */
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** The hash formats a password may be stored in: ours, or bcrypt from an import. */
export function isSupportedPasswordHash(passwordHash: string): boolean {
  return passwordHash.startsWith('$argon2id$') || BCRYPT.test(passwordHash);
}

/** Whether a hash should be replaced by a fresh argon2id one at the next successful sign-in. */
export function needsRehash(passwordHash: string): boolean {
  return !passwordHash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$');
}

/**
 * Verifies against an argon2 hash, or a bcrypt one from an import (bcryptjs: pure JavaScript,
 * so the lock file installs everywhere; imported hashes are replaced at the next sign-in).
 * False (never a throw) for a malformed hash.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    if (BCRYPT.test(passwordHash)) {
      // `$2y$` (PHP) is the same algorithm as `$2b$`.
      return await bcrypt.compare(password, passwordHash.replace(/^\$2y\$/, '$2b$'));
    }
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
