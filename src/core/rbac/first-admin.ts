import type { CoreContext } from '../context.js';
import { createUser } from '../users/create-user.js';
import { normalizeEmail, type User } from '../users/user.js';
import { ensureAdminRole, findRole } from './manage-roles.js';
import { ADMIN_ROLE } from './rbac.js';

/** How many users hold the admin role (anywhere). */
export async function adminCount(ctx: CoreContext): Promise<number> {
  await ensureAdminRole(ctx);
  return ctx.repos.rbac.countHolders((await findRole(ctx, ADMIN_ROLE)).id);
}

/**
 * Makes `email` an administrator: creates the user (email verified) when there is none, and
 * gives them the global admin role. An existing user keeps their password. Safe to repeat.
 */
export async function ensureAdministrator(
  ctx: CoreContext,
  options: { email: string; password: string; name?: string | null },
): Promise<{ user: User; created: boolean }> {
  await ensureAdminRole(ctx);
  let user = await ctx.repos.users.findByEmail(normalizeEmail(options.email));
  const created = !user;
  user ??= await createUser(ctx, {
    email: options.email,
    password: options.password,
    name: options.name ?? null,
    emailVerified: true,
  });
  const admin = await findRole(ctx, ADMIN_ROLE);
  await ctx.repos.rbac.grantRole(user.id, admin.id, null, ctx.clock.now());
  return { user, created };
}
