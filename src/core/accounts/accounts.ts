import type { CoreContext } from '../context.js';
import { ConflictError, InvalidInputError } from '../entity-errors.js';
import { digest } from '../secrets.js';
import { createUser } from '../users/create-user.js';
import { hashPassword } from '../users/password.js';
import { revokeUserTokens } from '../tokens/refresh-tokens.js';
import { revokeUserApiKeys } from '../apikeys/manage-api-key.js';
import { normalizeEmail, type User } from '../users/user.js';
import { alreadyRegisteredMail, passwordResetMail, verificationMail } from './account-mails.js';
import { checkPasswordPolicy } from './password-policy.js';
import { admitMail } from '../ratelimit/mail-limits.js';

/**
 * Self-service registration. The answer never tells whether the email was taken: a new address
 * gets a verification mail, a taken one a note that someone tried (with the way to reset), both
 * cost one argon2 hash and both queue exactly one mail (composed and sent by the mail worker,
 * so neither waits for the transport).
 * @throws InvalidInputError for a bad email or a password the policy refuses (checked first,
 *   the same for taken and new addresses); MailLimitExceededError past the mail limits of the
 *   address or of the client `ip` (counted before the address is looked up).
 */
export async function register(
  ctx: CoreContext,
  input: { email: string; password: string; name?: string | null },
  client: { ip: string },
): Promise<void> {
  if (!ctx.config.accounts.registration)
    throw new InvalidInputError('registration is closed on this server');
  const email = normalizeEmail(input.email);
  checkPasswordPolicy(input.password, ctx.config.accounts.passwordMinLength, email);
  await admitMail(ctx, { address: email, ip: client.ip });
  const existing = await ctx.repos.users.findByEmail(email);
  if (existing) {
    await hashPassword(input.password);
    ctx.mailQueue.enqueue({
      purpose: 'registration',
      compose: async () => alreadyRegisteredMail(existing),
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
  ctx.mailQueue.enqueue({ purpose: 'registration', compose: () => verificationMail(ctx, user) });
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

/**
 * Queues a reset link for an active account; the same (and the same steps) for any other
 * address. The request only queues the mail: whether the account exists is looked up, and its
 * token minted, by the mail worker, so nothing in the answer or its timing depends on it.
 * @throws MailLimitExceededError past the mail limits of the address (known or not) or of the
 *   client `ip`.
 */
export async function forgotPassword(
  ctx: CoreContext,
  email: string,
  client: { ip: string },
): Promise<void> {
  const address = normalizeEmail(email);
  await admitMail(ctx, { address, ip: client.ip });
  ctx.mailQueue.enqueue({
    purpose: 'password reset',
    compose: () => passwordResetMail(ctx, address),
  });
}

/**
 * Sets a new password with a mailed reset token, confirms the email (the mail reached them) and
 * signs the user out everywhere: every refresh family, access token and API key is revoked.
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
  // Whoever held the account before the reset (a thief, or someone who registered the address
  // first) must not keep a key to it: the owner makes new ones.
  await revokeUserApiKeys(ctx, user.id);
  return true;
}
