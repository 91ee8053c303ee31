import type { CoreContext } from '../context.js';
import { hashPassword, needsRehash, verifyPassword } from './password.js';
import { normalizeEmail, type User } from './user.js';

let dummyHash: Promise<string> | undefined;

/**
 * Checks an email and password. Unknown emails cost one argon2 verification too, so the two
 * failures cannot be told apart by timing. Disabled users fail like wrong passwords (after the
 * same verification, so in the same time). Sign in through `signIn`, never this alone: it adds
 * the brute-force limits and the other account rules.
 */
export async function authenticateUser(
  ctx: CoreContext,
  email: string,
  password: string,
): Promise<User | undefined> {
  const user = await ctx.repos.users.findByEmail(normalizeEmail(email));
  if (!user || !user.passwordHash) {
    dummyHash ??= hashPassword('portcullis-timing-equaliser');
    await verifyPassword(await dummyHash, password);
    return undefined;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok || user.disabledAt !== null) return undefined;
  if (needsRehash(user.passwordHash)) {
    // An imported bcrypt hash (or older argon2 parameters): upgraded while the password is here.
    const upgraded = await hashPassword(password);
    await ctx.repos.users.updatePasswordHash(user.id, upgraded, ctx.clock.now());
    return { ...user, passwordHash: upgraded };
  }
  return user;
}
