import { ConflictError } from '../entity-errors.js';
import type { CoreContext } from '../context.js';
import { newId } from '../ids.js';
import { invalidRequest } from '../oauth/errors.js';
import { hashPassword } from './password.js';
import { normalizeEmail, type User } from './user.js';

export interface CreateUserOptions {
  email: string;
  password: string;
  name?: string | null;
  emailVerified?: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Creates a user with an argon2id password hash.
 * @throws OAuthError invalid_request for a malformed email or a short password; ConflictError
 *   for a taken email.
 */
export async function createUser(ctx: CoreContext, options: CreateUserOptions): Promise<User> {
  const email = normalizeEmail(options.email);
  if (!EMAIL.test(email) || email.length > 254)
    throw invalidRequest('email is not a valid address');
  if (options.password.length < 8) throw invalidRequest('password must be at least 8 characters');
  if (options.name && options.name.length > 200)
    throw invalidRequest('name must be at most 200 characters');
  if (await ctx.repos.users.findByEmail(email))
    throw new ConflictError('email is already registered');
  const now = ctx.clock.now();
  const user: User = {
    id: newId(),
    email,
    name: options.name ?? null,
    passwordHash: await hashPassword(options.password),
    emailVerifiedAt: options.emailVerified ? now : null,
    disabledAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.repos.users.insert(user);
  return user;
}
