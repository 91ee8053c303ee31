import type { RbacRepository } from './rbac.js';
import type { OrganizationRepository } from './organization.js';
import type { UserClaims, UserClaimsSource } from '../users/user.js';
import { effectiveGrants } from './authorization.js';

/**
 * What a user's access tokens carry (`roles`, `permissions`, `org`): the roles and permissions
 * in force in the token's organization. Without an asked-for organization that is the user's
 * first (oldest) membership, as seed 004's single `organization_id` per user.
 */
export function rbacUserClaims(
  rbac: RbacRepository,
  organizations: OrganizationRepository,
): UserClaimsSource {
  return {
    async claimsFor(userId: string, org?: string | null): Promise<UserClaims> {
      let active: string | null = null;
      if (org) {
        if (await organizations.isMember(org, userId)) active = org;
      } else if (org === undefined) {
        active = (await organizations.membershipsOf(userId))[0]?.id ?? null;
      }
      const grants = effectiveGrants(await rbac.grantsOf(userId), active);
      return { ...grants, org: active };
    },
  };
}
