import type { CoreContext } from '../context.js';
import type { Caller } from '../authority/caller.js';
import { requirePermission, requireWithinPower } from '../authority/power.js';
import { assignRole, removeRole } from './manage-grants.js';
import { findOrganization } from './manage-organizations.js';
import {
  createRole,
  definePermission,
  deleteRole,
  findRole,
  updateRole,
  type CreateRoleOptions,
} from './manage-roles.js';
import type { Role } from './rbac.js';

/**
 * Role administration on behalf of a caller (the admin API): reading needs `roles:read`,
 * changing `roles:write`, both held globally, since roles are defined for the whole server.
 * No escalation: a caller defines, edits, deletes, gives or takes only roles whose permissions
 * are all within their own power in that context, so a `roles:write` holder cannot make
 * themselves `admin` nor touch a role stronger than they are. The CLI's operator is unbounded
 * and calls the plain functions in manage-roles.ts and manage-grants.ts.
 */

/** @throws OAuthError insufficient_scope without `roles:read`. */
export async function requireRoleReader(ctx: CoreContext, caller: Caller): Promise<void> {
  await requirePermission(ctx, caller, 'roles:read', null);
}

/** @throws OAuthError insufficient_scope; InvalidInputError; ConflictError */
export async function createRoleAs(
  ctx: CoreContext,
  caller: Caller,
  options: CreateRoleOptions,
): Promise<Role> {
  await requirePermission(ctx, caller, 'roles:write', null);
  await requireWithinPower(ctx, caller, options.permissions ?? [], null);
  return createRole(ctx, options);
}

/** @throws OAuthError insufficient_scope; NotFoundError; InvalidInputError */
export async function updateRoleAs(
  ctx: CoreContext,
  caller: Caller,
  name: string,
  patch: { description?: string; permissions?: string[] },
): Promise<Role> {
  await requirePermission(ctx, caller, 'roles:write', null);
  const role = await findRole(ctx, name);
  await requireWithinPower(ctx, caller, [...role.permissions, ...(patch.permissions ?? [])], null);
  return updateRole(ctx, name, patch);
}

/** @throws OAuthError insufficient_scope; NotFoundError; InvalidInputError */
export async function deleteRoleAs(ctx: CoreContext, caller: Caller, name: string): Promise<void> {
  await requirePermission(ctx, caller, 'roles:write', null);
  const role = await findRole(ctx, name);
  await requireWithinPower(ctx, caller, role.permissions, null);
  await deleteRole(ctx, name);
}

/** @throws OAuthError insufficient_scope; InvalidInputError */
export async function definePermissionAs(
  ctx: CoreContext,
  caller: Caller,
  name: string,
  description?: string,
): Promise<boolean> {
  await requirePermission(ctx, caller, 'roles:write', null);
  return definePermission(ctx, name, description);
}

/** The organization id a grant is in (named by id or slug), or null for a global grant. */
async function grantContext(ctx: CoreContext, org: string | null | undefined) {
  return org ? (await findOrganization(ctx, org)).id : null;
}

/**
 * The context a role is given or taken in (null: global), once the caller may: `roles:write`
 * held globally (roles are administered for the whole server) and every permission of the role
 * within the caller's power in that context.
 */
async function roleGrantContext(
  ctx: CoreContext,
  caller: Caller,
  roleName: string,
  org: string | null | undefined,
): Promise<string | null> {
  const context = await grantContext(ctx, org);
  await requirePermission(ctx, caller, 'roles:write', null);
  await requireWithinPower(ctx, caller, (await findRole(ctx, roleName)).permissions, context);
  return context;
}

/**
 * Gives a user a role (globally, or in one organization) under `roleGrantContext`'s rule.
 * @throws OAuthError insufficient_scope; NotFoundError; InvalidInputError
 */
export async function assignRoleAs(
  ctx: CoreContext,
  caller: Caller,
  user: string,
  roleName: string,
  org?: string | null,
): Promise<boolean> {
  return assignRole(ctx, user, roleName, await roleGrantContext(ctx, caller, roleName, org));
}

/** Takes a role away, under the same rule as giving it. @throws as `assignRoleAs` */
export async function removeRoleAs(
  ctx: CoreContext,
  caller: Caller,
  user: string,
  roleName: string,
  org?: string | null,
): Promise<boolean> {
  return removeRole(ctx, user, roleName, await roleGrantContext(ctx, caller, roleName, org));
}
