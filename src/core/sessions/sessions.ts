import type { CoreContext } from '../context.js';
import { newId } from '../ids.js';
import { digest, newSecret } from '../secrets.js';
import type { LoginSession } from './login-session.js';

/** Starts a login session; the returned value goes in a cookie, the database keeps its digest. */
export async function startLoginSession(
  ctx: CoreContext,
  userId: string,
  options: { requestDigest?: string } = {},
): Promise<{ cookie: string; session: LoginSession }> {
  const cookie = newSecret();
  const now = ctx.clock.now();
  const session: LoginSession = {
    id: newId(),
    digest: digest(cookie),
    userId,
    authTime: now,
    requestDigest: options.requestDigest ?? null,
    expiresAt: now + ctx.config.loginSessionHours * 3_600_000,
    createdAt: now,
  };
  await ctx.repos.loginSessions.insert(session);
  return { cookie, session };
}

/**
 * The request a sign-in was made for has been answered (code issued or access denied): the
 * same URL opened again later must not count as signed in for it.
 */
export async function forgetRequestOfSignIn(
  ctx: CoreContext,
  session: LoginSession,
): Promise<void> {
  if (session.requestDigest !== null) await ctx.repos.loginSessions.clearRequestDigest(session.id);
}

/** The live session behind a cookie value, or undefined. */
export async function findLoginSession(
  ctx: CoreContext,
  cookie: string | undefined,
): Promise<LoginSession | undefined> {
  if (!cookie) return undefined;
  const session = await ctx.repos.loginSessions.findByDigest(digest(cookie));
  if (!session || session.expiresAt <= ctx.clock.now()) return undefined;
  const user = await ctx.repos.users.findById(session.userId);
  if (!user || user.disabledAt !== null) return undefined;
  return session;
}
