import type { CoreContext } from '../context.js';
import { NotFoundError } from '../entity-errors.js';
import { revokeRefreshFamily } from '../tokens/refresh-tokens.js';
import { revokeUserApiKeys } from '../apikeys/manage-api-key.js';
import type { Caller } from '../authority/caller.js';
import { requirePermission, requireUser, requireWithinPower } from '../authority/power.js';
import { effectiveGrants } from './authorization.js';
import { createOrganization } from './manage-organizations.js';
import { acceptInvitation, inviteMember } from './invitations.js';
import { findRole } from './manage-roles.js';
import type { Organization } from './organization.js';
import { ADMIN_ROLE } from './rbac.js';

/**
 * Creates an organization for the calling user, who becomes its first member and holds `admin`
 * there — in that organization only: the grant counts in sessions switched to it, never globally.
 * @throws OAuthError insufficient_scope without a user or `organizations:write`.
 */
export async function createOrganizationFor(
  ctx: CoreContext,
  caller: Caller,
  options: { name: string; slug?: string },
): Promise<Organization> {
  requireUser(caller);
  await requirePermission(ctx, caller, 'organizations:write');
  const org = await createOrganization(ctx, options);
  const now = ctx.clock.now();
  await ctx.repos.organizations.addMember(org.id, caller.userId, now);
  const admin = await ctx.repos.rbac.findRoleByName(ADMIN_ROLE);
  if (admin) await ctx.repos.rbac.grantRole(caller.userId, admin.id, org.id, now);
  return org;
}

/** The calling user's organizations. @throws OAuthError insufficient_scope */
export async function organizationsOf(ctx: CoreContext, caller: Caller): Promise<Organization[]> {
  requireUser(caller);
  await requirePermission(ctx, caller, 'organizations:read');
  return ctx.repos.organizations.membershipsOf(caller.userId);
}

/**
 * An organization the calling user belongs to; any other looks like no organization at all.
 * @throws OAuthError insufficient_scope; NotFoundError for another organization.
 */
export async function memberOrganization(
  ctx: CoreContext,
  caller: Caller,
  id: string,
): Promise<Organization> {
  requireUser(caller);
  await requirePermission(ctx, caller, 'organizations:read');
  const org = await ctx.repos.organizations.findById(id);
  if (!org || !(await ctx.repos.organizations.isMember(org.id, caller.userId)))
    throw new NotFoundError('organization', id);
  return org;
}

/**
 * Invites an address into one of the caller's organizations: needs `members:invite` held there
 * (in a session switched to it), and a role offered with the invitation must be within what the
 * caller holds there.
 * @throws OAuthError insufficient_scope; NotFoundError for another organization.
 */
export async function inviteAs(
  ctx: CoreContext,
  caller: Caller,
  orgId: string,
  options: { email: string; role?: string | null; ip: string },
): Promise<void> {
  const org = await memberOrganization(ctx, caller, orgId);
  await requirePermission(ctx, caller, 'members:invite', org.id);
  if (options.role) {
    const role = await findRole(ctx, options.role);
    await requireWithinPower(ctx, caller, role.permissions, org.id);
  }
  await inviteMember(ctx, org, {
    email: options.email,
    role: options.role ?? null,
    invitedBy: caller.userId,
    ip: options.ip,
  });
}

/** Accepts an invitation for the calling user. @throws OAuthError insufficient_scope */
export async function acceptInvitationAs(
  ctx: CoreContext,
  caller: Caller,
  token: string,
): Promise<Organization | undefined> {
  requireUser(caller);
  await requirePermission(ctx, caller, 'organizations:write');
  return acceptInvitation(ctx, caller.userId, token);
}

/**
 * Ends a membership and everything it gave: the member's roles and permissions in the
 * organization, their sessions switched to it (refresh families and access tokens), and their
 * API keys bound to it. Re-joining starts from nothing. The operator's CLI and the API both end
 * memberships here.
 * @returns false when the user was not a member.
 */
export async function endMembership(
  ctx: CoreContext,
  org: Organization,
  userId: string,
): Promise<boolean> {
  const now = ctx.clock.now();
  const removed = await ctx.repos.organizations.removeMember(org.id, userId);
  await ctx.repos.rbac.revokeOrganizationGrants(userId, org.id);
  for (const familyId of await ctx.repos.refreshTokens.revokeFamiliesByUserInOrganization(
    userId,
    org.id,
    now,
  ))
    await revokeRefreshFamily(ctx, familyId);
  await revokeUserApiKeys(ctx, userId, org.id);
  return removed;
}

/**
 * Removes a member: the member themself (leaving), or a caller holding `members:remove` in that
 * organization whose own power there covers everything the member holds there (no one removes
 * someone more powerful than themself).
 * @throws OAuthError insufficient_scope; NotFoundError for another organization or a non-member.
 */
export async function removeMemberAs(
  ctx: CoreContext,
  caller: Caller,
  orgId: string,
  userId: string,
): Promise<void> {
  const org = await memberOrganization(ctx, caller, orgId);
  if (userId !== caller.userId) {
    await requirePermission(ctx, caller, 'members:remove', org.id);
    if (!(await ctx.repos.organizations.isMember(org.id, userId)))
      throw new NotFoundError('member', userId);
    const grants = await ctx.repos.rbac.grantsOf(userId);
    const held = effectiveGrants(
      {
        roles: grants.roles.filter((g) => g.org === org.id),
        permissions: grants.permissions.filter((g) => g.org === org.id),
      },
      org.id,
    );
    await requireWithinPower(ctx, caller, held.permissions, org.id);
  } else {
    await requirePermission(ctx, caller, 'organizations:write');
  }
  await endMembership(ctx, org, userId);
}
