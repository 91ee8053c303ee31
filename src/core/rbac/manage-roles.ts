import type { CoreContext } from '../context.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../entity-errors.js';
import { newId } from '../ids.js';
import { ADMIN_ROLE, type Role } from './rbac.js';
import {
  checkDescription,
  checkPermissionName,
  checkPermissionPattern,
  checkRoleName,
} from './names.js';

export interface CreateRoleOptions {
  name: string;
  description?: string;
  permissions?: string[];
}

/** Defines a role. @throws InvalidInputError for a bad name or permission; ConflictError if taken. */
export async function createRole(ctx: CoreContext, options: CreateRoleOptions): Promise<Role> {
  const name = checkRoleName(options.name);
  const permissions = [...new Set((options.permissions ?? []).map(checkPermissionPattern))].sort();
  if (await ctx.repos.rbac.findRoleByName(name))
    throw new ConflictError(`the role ${name} already exists`);
  const now = ctx.clock.now();
  const role: Role = {
    id: newId(),
    name,
    description: checkDescription(options.description),
    permissions,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.repos.rbac.insertRole(role);
  return role;
}

export async function findRole(ctx: CoreContext, name: string): Promise<Role> {
  const role = await ctx.repos.rbac.findRoleByName(name);
  if (!role) throw new NotFoundError('role', name);
  return role;
}

/** Replaces a role's description and/or permissions (the admin role keeps `*`). */
export async function updateRole(
  ctx: CoreContext,
  name: string,
  patch: { description?: string; permissions?: string[] },
): Promise<Role> {
  const permissions =
    patch.permissions && [...new Set(patch.permissions.map(checkPermissionPattern))].sort();
  if (name === ADMIN_ROLE && permissions && !permissions.includes('*'))
    throw new InvalidInputError('the admin role always has every permission (*)');
  const role = await ctx.repos.rbac.updateRole(
    name,
    {
      ...(patch.description !== undefined
        ? { description: checkDescription(patch.description) }
        : {}),
      ...(permissions ? { permissions } : {}),
    },
    ctx.clock.now(),
  );
  if (!role) throw new NotFoundError('role', name);
  return role;
}

/** Deletes a role and every grant of it. The admin role cannot be deleted. */
export async function deleteRole(ctx: CoreContext, name: string): Promise<void> {
  if (name === ADMIN_ROLE) throw new InvalidInputError('the admin role cannot be deleted');
  if (!(await ctx.repos.rbac.deleteRole(name))) throw new NotFoundError('role', name);
}

/** Adds a permission to the catalogue (what the admin API lists); true when it is new. */
export async function definePermission(
  ctx: CoreContext,
  name: string,
  description?: string,
): Promise<boolean> {
  return ctx.repos.rbac.definePermission({
    name: checkPermissionName(name),
    description: checkDescription(description),
    createdAt: ctx.clock.now(),
  });
}

/** The built-in `admin` role (every permission), created on first start. */
export async function ensureAdminRole(ctx: CoreContext): Promise<void> {
  if (await ctx.repos.rbac.findRoleByName(ADMIN_ROLE)) return;
  try {
    await createRole(ctx, {
      name: ADMIN_ROLE,
      description: 'Administrators: every permission',
      permissions: ['*'],
    });
  } catch (error) {
    // Two processes starting together: the other one made it.
    if (!(await ctx.repos.rbac.findRoleByName(ADMIN_ROLE))) throw error;
  }
}

/** Spatie's `givePermissionTo` on a role: adds permissions (patterns allowed). */
export async function grantRolePermissions(
  ctx: CoreContext,
  name: string,
  permissions: string[],
): Promise<Role> {
  const role = await findRole(ctx, name);
  return updateRole(ctx, name, { permissions: [...role.permissions, ...permissions] });
}

/** Spatie's `revokePermissionTo` on a role. */
export async function revokeRolePermissions(
  ctx: CoreContext,
  name: string,
  permissions: string[],
): Promise<Role> {
  const role = await findRole(ctx, name);
  return updateRole(ctx, name, {
    permissions: role.permissions.filter((p) => !permissions.includes(p)),
  });
}
