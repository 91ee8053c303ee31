/** A named set of permissions (Spatie's role): defined once, held everywhere or per organization. */
export interface Role {
  id: string;
  name: string;
  description: string;
  /** Permissions or patterns (`posts:*`, `*`), the grammar of scopes. */
  permissions: string[];
  createdAt: number;
  updatedAt: number;
}

/** A permission in the catalogue (`resource:action`), shown by the admin API and CLI. */
export interface Permission {
  name: string;
  description: string;
  createdAt: number;
}

/** What a user holds: roles and direct permissions, each global (`org` null) or in one org. */
export interface UserGrants {
  roles: Array<{ role: Role; org: string | null }>;
  permissions: Array<{ permission: string; org: string | null }>;
}

export interface RbacRepository {
  insertRole(role: Role): Promise<void>;
  findRoleByName(name: string): Promise<Role | undefined>;
  listRoles(): Promise<Role[]>;
  /** Replaces a role's permissions and description; undefined when there is no such role. */
  updateRole(
    name: string,
    patch: { description?: string; permissions?: string[] },
    now: number,
  ): Promise<Role | undefined>;
  deleteRole(name: string): Promise<boolean>;
  definePermission(permission: Permission): Promise<boolean>;
  listPermissions(): Promise<Permission[]>;
  deletePermission(name: string): Promise<boolean>;
  /** True when the grant is new. */
  grantRole(userId: string, roleId: string, org: string | null, now: number): Promise<boolean>;
  revokeRole(userId: string, roleId: string, org: string | null): Promise<boolean>;
  grantPermission(
    userId: string,
    permission: string,
    org: string | null,
    now: number,
  ): Promise<boolean>;
  revokePermission(userId: string, permission: string, org: string | null): Promise<boolean>;
  grantsOf(userId: string): Promise<UserGrants>;
  /**
   * The user's grants from an in-process cache, answered synchronously, or undefined when there
   * is no fresh entry (then ask `grantsOf`). Only a caching layer has it: the API-key guard's
   * fast path bounds a key by its owner's grants without a promise.
   */
  findCachedGrants?(userId: string, now: number): UserGrants | undefined;
  /** Removes every role and permission the user holds in one organization; how many. */
  revokeOrganizationGrants(userId: string, org: string): Promise<number>;
  /** Users holding the role anywhere. */
  countHolders(roleId: string): Promise<number>;
}

/** The built-in administrator role: every permission. */
export const ADMIN_ROLE = 'admin';
