import type { RbacRepository } from './rbac.js';
import type { OrganizationRepository } from './organization.js';
import type { UserClaims, UserClaimsSource } from '../users/user.js';
import { effectiveGrants } from './authorization.js';

/**
 * What a user's access tokens carry: `roles` and `permissions` are the user's global grants
 * only, so a resource server's `requireRoles('admin')` never admits an organization's admin;
 * a token acting for an organization (a switched session) adds `org`, `org_roles` and
 * `org_permissions`, the grants held there.
 */
export function rbacUserClaims(
  rbac: RbacRepository,
  organizations: OrganizationRepository,
): UserClaimsSource {
  return {
    async claimsFor(userId: string, org?: string | null): Promise<UserClaims> {
      const active = org && (await organizations.isMember(org, userId)) ? org : null;
      const grants = await rbac.grantsOf(userId);
      const global = effectiveGrants(grants, null);
      const inOrg = active
        ? effectiveGrants(
            {
              roles: grants.roles.filter((g) => g.org === active),
              permissions: grants.permissions.filter((g) => g.org === active),
            },
            active,
          )
        : { roles: [], permissions: [] };
      return {
        ...global,
        org: active,
        orgRoles: inOrg.roles,
        orgPermissions: inOrg.permissions,
      };
    },
  };
}
