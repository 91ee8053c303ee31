import type { CoreContext } from '../context.js';
import { revokeUserTokens } from '../tokens/refresh-tokens.js';
import { revokeUserApiKeys } from '../apikeys/manage-api-key.js';
import { findUser } from '../rbac/manage-grants.js';
import type { User } from './user.js';
import { effectiveGrants } from '../rbac/authorization.js';
import type { Organization } from '../rbac/organization.js';

/**
 * Disables a user: sign-in fails like a wrong password, and every token they hold is revoked
 * (refresh families and access tokens, so resource-server guards with the Redis deny-list
 * refuse them at once too), and so is every API key they own. Idempotent.
 */
export async function disableUser(
  ctx: CoreContext,
  idOrEmail: string,
): Promise<{ user: User; alreadyDisabled: boolean; accessTokens: number }> {
  const user = await findUser(ctx, idOrEmail);
  const now = ctx.clock.now();
  const alreadyDisabled = user.disabledAt !== null;
  if (!alreadyDisabled) await ctx.repos.users.setDisabled(user.id, now, now);
  const accessTokens = await revokeUserTokens(ctx, user.id);
  await revokeUserApiKeys(ctx, user.id);
  return {
    user: { ...user, disabledAt: user.disabledAt ?? now, updatedAt: now },
    alreadyDisabled,
    accessTokens,
  };
}

/** Lets a disabled user sign in again (their old tokens and API keys stay revoked). */
export async function enableUser(ctx: CoreContext, idOrEmail: string): Promise<User> {
  const user = await findUser(ctx, idOrEmail);
  const now = ctx.clock.now();
  await ctx.repos.users.setDisabled(user.id, null, now);
  return { ...user, disabledAt: null, updatedAt: now };
}

/** A user with what they hold: what `users:show` and the admin API print. */
export interface UserDetails {
  user: User;
  organizations: Organization[];
  /** Global roles and permissions. */
  roles: string[];
  permissions: string[];
  /** Grants held in one organization only. */
  organizationGrants: Array<{ organization: Organization; roles: string[]; permissions: string[] }>;
}

export async function userDetails(ctx: CoreContext, idOrEmail: string): Promise<UserDetails> {
  const user = await findUser(ctx, idOrEmail);
  const grants = await ctx.repos.rbac.grantsOf(user.id);
  const organizations = await ctx.repos.organizations.membershipsOf(user.id);
  const global = effectiveGrants(grants, null);
  const organizationGrants = organizations
    .map((organization) => {
      const roles = grants.roles.filter((g) => g.org === organization.id).map((g) => g.role.name);
      const permissions = grants.permissions
        .filter((g) => g.org === organization.id)
        .map((g) => g.permission);
      return { organization, roles, permissions };
    })
    .filter((g) => g.roles.length > 0 || g.permissions.length > 0);
  return { user, organizations, ...global, organizationGrants };
}
