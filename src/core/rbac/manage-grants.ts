import type { CoreContext } from '../context.js';
import { InvalidInputError, NotFoundError } from '../entity-errors.js';
import type { User } from '../users/user.js';
import { normalizeEmail } from '../users/user.js';
import { isId } from '../ids.js';
import { findRole } from './manage-roles.js';
import { checkPermissionPattern } from './names.js';
import type { Organization } from './organization.js';
import { findOrganization } from './manage-organizations.js';

/** A user named by id or email. @throws NotFoundError */
export async function findUser(ctx: CoreContext, idOrEmail: string): Promise<User> {
  const user = isId(idOrEmail)
    ? await ctx.repos.users.findById(idOrEmail)
    : await ctx.repos.users.findByEmail(normalizeEmail(idOrEmail));
  if (!user) throw new NotFoundError('user', idOrEmail);
  return user;
}

/**
 * The organization a grant is scoped to (named by id or slug), which the user must be a member
 * of; null for a global grant.
 */
async function grantScope(
  ctx: CoreContext,
  user: User,
  org: string | null | undefined,
): Promise<Organization | null> {
  if (!org) return null;
  const organization = await findOrganization(ctx, org);
  if (!(await ctx.repos.organizations.isMember(organization.id, user.id)))
    throw new InvalidInputError(`${user.email} is not a member of ${organization.slug}`);
  return organization;
}

/** Gives a user a role, everywhere or in one organization; false when they had it already. */
export async function assignRole(
  ctx: CoreContext,
  userIdOrEmail: string,
  roleName: string,
  org?: string | null,
): Promise<boolean> {
  const user = await findUser(ctx, userIdOrEmail);
  const role = await findRole(ctx, roleName);
  const scope = await grantScope(ctx, user, org);
  return ctx.repos.rbac.grantRole(user.id, role.id, scope?.id ?? null, ctx.clock.now());
}

/** Takes a role away; false when the user did not hold it there. */
export async function removeRole(
  ctx: CoreContext,
  userIdOrEmail: string,
  roleName: string,
  org?: string | null,
): Promise<boolean> {
  const user = await findUser(ctx, userIdOrEmail);
  const role = await findRole(ctx, roleName);
  const scope = org ? await findOrganization(ctx, org) : null;
  return ctx.repos.rbac.revokeRole(user.id, role.id, scope?.id ?? null);
}

/** Gives a user a permission directly (Spatie's `givePermissionTo`). */
export async function grantPermission(
  ctx: CoreContext,
  userIdOrEmail: string,
  permission: string,
  org?: string | null,
): Promise<boolean> {
  const user = await findUser(ctx, userIdOrEmail);
  const scope = await grantScope(ctx, user, org);
  return ctx.repos.rbac.grantPermission(
    user.id,
    checkPermissionPattern(permission),
    scope?.id ?? null,
    ctx.clock.now(),
  );
}

export async function revokePermission(
  ctx: CoreContext,
  userIdOrEmail: string,
  permission: string,
  org?: string | null,
): Promise<boolean> {
  const user = await findUser(ctx, userIdOrEmail);
  const scope = org ? await findOrganization(ctx, org) : null;
  return ctx.repos.rbac.revokePermission(user.id, permission, scope?.id ?? null);
}
