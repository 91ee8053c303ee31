import type { CoreContext } from '../context.js';
import { ConflictError, InvalidInputError } from '../entity-errors.js';
import { digest, newSecret } from '../secrets.js';
import { createUser } from '../users/create-user.js';
import { hashPassword } from '../users/password.js';
import { revokeUserTokens } from '../tokens/refresh-tokens.js';
import { normalizeEmail, type User } from '../users/user.js';
import type { AccountTokenPurpose } from './account-token.js';
import { checkPasswordPolicy } from './password-policy.js';

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

export async function sendVerificationMail(ctx: CoreContext, user: User): Promise<void> {
  const hours = ctx.config.accounts.emailVerificationHours;
  const token = await mintAccountToken(ctx, user, 'verify_email', hours * HOUR);
  await ctx.mailer.send({
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
  });
}

/**
 * Self-service registration. The answer never tells whether the email was taken: a new address
 * gets a verification mail, a taken one a note that someone tried (with the way to reset), and
 * both cost one argon2 hash.
 * @throws InvalidInputError for a bad email or a password the policy refuses (checked first,
 *   the same for taken and new addresses).
 */
export async function register(
  ctx: CoreContext,
  input: { email: string; password: string; name?: string | null },
): Promise<void> {
  if (!ctx.config.accounts.registration)
    throw new InvalidInputError('registration is closed on this server');
  const email = normalizeEmail(input.email);
  checkPasswordPolicy(input.password, ctx.config.accounts.passwordMinLength, email);
  const existing = await ctx.repos.users.findByEmail(email);
  if (existing) {
    await hashPassword(input.password);
    await ctx.mailer.send({
      to: existing.email,
      subject: 'Someone tried to register with your address',
      text: [
        `Somebody tried to create an account with ${existing.email}, which already has one.`,
        'If it was you and you forgot your password, ask for a reset: POST /api/v1/auth/forgot-password.',
        'Otherwise, ignore this mail.',
      ].join('\n'),
    });
    return;
  }
  let user: User;
  try {
    user = await createUser(ctx, { email, password: input.password, name: input.name ?? null });
  } catch (error) {
    // Registered by a parallel request a moment ago: the same silence.
    if (error instanceof ConflictError) return;
    throw error;
  }
  await sendVerificationMail(ctx, user);
}

/** Confirms an email with the mailed token. @returns false for an unknown, used or expired one. */
export async function verifyEmail(ctx: CoreContext, token: string): Promise<boolean> {
  if (!token || token.length > 128) return false;
  const used = await ctx.repos.accountTokens.consume(
    digest(token),
    'verify_email',
    ctx.clock.now(),
  );
  if (!used) return false;
  await ctx.repos.users.markEmailVerified(used.userId, ctx.clock.now());
  return true;
}

/** Mails a reset link to an active account; silent (and the same) for any other address. */
export async function forgotPassword(ctx: CoreContext, email: string): Promise<void> {
  const user = await ctx.repos.users.findByEmail(normalizeEmail(email));
  if (!user || user.disabledAt !== null) return;
  const minutes = ctx.config.accounts.passwordResetMinutes;
  const token = await mintAccountToken(ctx, user, 'reset_password', minutes * MINUTE);
  await ctx.mailer.send({
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
  });
}

/**
 * Sets a new password with a mailed reset token, confirms the email (the mail reached them) and
 * signs the user out everywhere: every refresh family and access token is revoked.
 * @returns false for an unknown, used or expired token.
 * @throws InvalidInputError for a password the policy refuses (the token is not spent then).
 */
export async function resetPassword(
  ctx: CoreContext,
  token: string,
  password: string,
): Promise<boolean> {
  checkPasswordPolicy(password, ctx.config.accounts.passwordMinLength);
  if (!token || token.length > 128) return false;
  const now = ctx.clock.now();
  const used = await ctx.repos.accountTokens.consume(digest(token), 'reset_password', now);
  if (!used) return false;
  const user = await ctx.repos.users.findById(used.userId);
  if (!user || user.disabledAt !== null) return false;
  await ctx.repos.users.updatePasswordHash(user.id, await hashPassword(password), now);
  await ctx.repos.users.markEmailVerified(user.id, now);
  await revokeUserTokens(ctx, user.id);
  return true;
}
