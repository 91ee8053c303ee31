import type { CoreContext } from '../context.js';
import { authenticateUser } from './authenticate-user.js';
import { normalizeEmail, type User } from './user.js';

/** Why a password sign-in was refused: each face maps these to its own answer. */
export type SignInRefusal =
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'email_not_verified' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** The outcome of a password sign-in: expected failures are values, not exceptions. */
export type SignInResult = { ok: true; user: User } | SignInRefusal;

/**
 * Password sign-in with every account rule, in this order: the brute-force limits, the password
 * (an unknown email, a wrong password and a disabled user are one `invalid_credentials`), then
 * `accounts.requireVerifiedEmail`. Every face that signs a user in (auth API, `POST /token`, the
 * password grant, the login page) calls this before it creates any token or session.
 *
 * While blocked, the password is not even checked, so a blocked guesser learns nothing, right or
 * wrong. `email_not_verified` is told only to someone who gave the right password, so it reveals
 * nothing about who has an account; it counts as a success for the limits, since the owner
 * waiting for the confirmation mail is no guesser and must not lock themselves out.
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
  if (ctx.config.accounts.requireVerifiedEmail && user.emailVerifiedAt === null)
    return { ok: false, reason: 'email_not_verified' };
  return { ok: true, user };
}
