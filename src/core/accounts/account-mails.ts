import type { CoreContext } from '../context.js';
import { digest, newSecret } from '../secrets.js';
import type { User } from '../users/user.js';
import type { AccountTokenPurpose } from './account-token.js';
import type { MailMessage } from './mailer.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Mints a single-use token for `purpose`, retiring the user's earlier ones; returns the token. */
async function mintAccountToken(
  ctx: CoreContext,
  user: User,
  purpose: AccountTokenPurpose,
  lifetimeMs: number,
): Promise<string> {
  const now = ctx.clock.now();
  await ctx.repos.accountTokens.retire(user.id, purpose, now);
  const token = newSecret();
  await ctx.repos.accountTokens.insert({
    digest: digest(token),
    userId: user.id,
    purpose,
    expiresAt: now + lifetimeMs,
    usedAt: null,
    createdAt: now,
  });
  return token;
}

/** A mailed link opens a page of the HTTP face (`/account/…`); the API takes the bare token. */
const link = (ctx: CoreContext, path: string, token: string) =>
  `${ctx.config.issuer}${path}?token=${encodeURIComponent(token)}`;

/** The confirmation mail of a new account, with a freshly minted verification token. */
export async function verificationMail(ctx: CoreContext, user: User): Promise<MailMessage> {
  const hours = ctx.config.accounts.emailVerificationHours;
  const token = await mintAccountToken(ctx, user, 'verify_email', hours * HOUR);
  return {
    to: user.email,
    subject: 'Confirm your email address',
    text: [
      `Confirm the address ${user.email} for your account:`,
      '',
      link(ctx, '/account/verify-email', token),
      '',
      `Or send this token to POST /api/v1/auth/verify-email: ${token}`,
      `The link works once, for ${hours} hours. If you did not sign up, ignore this mail.`,
    ].join('\n'),
  };
}

/** What the owner of a taken address gets when someone registers with it. */
export function alreadyRegisteredMail(user: User): MailMessage {
  return {
    to: user.email,
    subject: 'Someone tried to register with your address',
    text: [
      `Somebody tried to create an account with ${user.email}, which already has one.`,
      'If it was you and you forgot your password, ask for a reset: POST /api/v1/auth/forgot-password.',
      'Otherwise, ignore this mail.',
    ].join('\n'),
  };
}

/**
 * The reset mail for `email` (normalised), with a freshly minted reset token; undefined (no
 * mail) when no active account uses the address. Runs in the mail worker, so whether the
 * account exists never shapes the request that asked.
 */
export async function passwordResetMail(
  ctx: CoreContext,
  email: string,
): Promise<MailMessage | undefined> {
  const user = await ctx.repos.users.findByEmail(email);
  if (!user || user.disabledAt !== null) return undefined;
  const minutes = ctx.config.accounts.passwordResetMinutes;
  const token = await mintAccountToken(ctx, user, 'reset_password', minutes * MINUTE);
  return {
    to: user.email,
    subject: 'Reset your password',
    text: [
      'Someone asked to reset the password of your account. To choose a new one:',
      '',
      link(ctx, '/account/reset-password', token),
      '',
      `Or send this token with the new password to POST /api/v1/auth/reset-password: ${token}`,
      `It works once, for ${minutes} minutes. If it was not you, ignore this mail: nothing changed.`,
    ].join('\n'),
  };
}
