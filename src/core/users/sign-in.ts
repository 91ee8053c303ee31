import type { CoreContext } from '../context.js';
import { authenticateUser } from './authenticate-user.js';
import { normalizeEmail, type User } from './user.js';

/** The outcome of a password sign-in: expected failures are values, not exceptions. */
export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Password sign-in behind the brute-force limits. While blocked, the password is not even
 * checked, so a blocked guesser learns nothing, right or wrong.
 */
export async function signIn(
  ctx: CoreContext,
  credentials: { email: string; password: string; ip: string },
): Promise<SignInResult> {
  const attempt = { email: normalizeEmail(credentials.email), ip: credentials.ip };
  const wait = await ctx.loginThrottle.reserve(attempt);
  if (wait > 0)
    return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil(wait / 1000) };
  let user: User | undefined;
  try {
    user = await authenticateUser(ctx, credentials.email, credentials.password);
  } catch (error) {
    // A fault (the database down) is not a wrong password: the try counts nowhere.
    await ctx.loginThrottle.abandoned(attempt);
    throw error;
  }
  if (!user) {
    ctx.loginThrottle.failed(attempt);
    return { ok: false, reason: 'invalid_credentials' };
  }
  await ctx.loginThrottle.succeeded(attempt);
  return { ok: true, user };
}
