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
  } finally {
    // Settled on every path (a fault included), or tries waiting on this one would hang.
    if (user) await ctx.loginThrottle.succeeded(attempt);
    else ctx.loginThrottle.failed(attempt);
  }
  if (!user) return { ok: false, reason: 'invalid_credentials' };
  return { ok: true, user };
}
