import type { CoreContext } from '../context.js';
import { scopeAllows } from '../scopes/match.js';
import type { UserGrants } from './rbac.js';

/** The roles and permissions a user has in one context: global grants plus that org's. */
export interface EffectiveGrants {
  roles: string[];
  permissions: string[];
}

/** Folds a user's grants for `org` (null: global grants only). */
export function effectiveGrants(grants: UserGrants, org: string | null): EffectiveGrants {
  const roles = new Set<string>();
  const permissions = new Set<string>();
  for (const held of grants.roles) {
    if (held.org !== null && held.org !== org) continue;
    roles.add(held.role.name);
    for (const permission of held.role.permissions) permissions.add(permission);
  }
  for (const held of grants.permissions)
    if (held.org === null || held.org === org) permissions.add(held.permission);
  return { roles: [...roles].sort(), permissions: [...permissions].sort() };
}

export interface AuthorizationOptions {
  /** The organization the check is for; grants in other organizations do not count. */
  org?: string | null;
}

async function grantsFor(ctx: CoreContext, userId: string, options: AuthorizationOptions) {
  return effectiveGrants(await ctx.repos.rbac.grantsOf(userId), options.org ?? null);
}

/** Spatie's `can`: whether the user's roles or direct permissions cover `permission`. */
export async function can(
  ctx: CoreContext,
  userId: string,
  permission: string,
  options: AuthorizationOptions = {},
): Promise<boolean> {
  return scopeAllows((await grantsFor(ctx, userId, options)).permissions, permission);
}

export async function hasRole(
  ctx: CoreContext,
  userId: string,
  role: string,
  options: AuthorizationOptions = {},
): Promise<boolean> {
  return (await grantsFor(ctx, userId, options)).roles.includes(role);
}

export async function hasAnyRole(
  ctx: CoreContext,
  userId: string,
  roles: string[],
  options: AuthorizationOptions = {},
): Promise<boolean> {
  const held = (await grantsFor(ctx, userId, options)).roles;
  return roles.some((role) => held.includes(role));
}

export async function hasAnyPermission(
  ctx: CoreContext,
  userId: string,
  permissions: string[],
  options: AuthorizationOptions = {},
): Promise<boolean> {
  const held = (await grantsFor(ctx, userId, options)).permissions;
  return permissions.some((permission) => scopeAllows(held, permission));
}

export async function hasAllPermissions(
  ctx: CoreContext,
  userId: string,
  permissions: string[],
  options: AuthorizationOptions = {},
): Promise<boolean> {
  const held = (await grantsFor(ctx, userId, options)).permissions;
  return permissions.every((permission) => scopeAllows(held, permission));
}
