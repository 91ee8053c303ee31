import type { Kysely, Selectable } from 'kysely';
import type { Permission, RbacRepository, Role } from '../../core/rbac/rbac.js';
import type { Database, RolesTable } from '../schema.js';

/** '' stands for "every organization" in the grant tables (it sits in the primary key). */
const EVERYWHERE = '';
const orgColumn = (org: string | null) => org ?? EVERYWHERE;
const orgOf = (column: string) => (column === EVERYWHERE ? null : column);

export function rbacRepository(db: Kysely<Database>): RbacRepository {
  const permissionsOf = async (roleIds: string[]) => {
    const byRole = new Map<string, string[]>(roleIds.map((id) => [id, []]));
    if (roleIds.length === 0) return byRole;
    const rows = await db
      .selectFrom('role_permissions')
      .select(['role_id', 'permission'])
      .where('role_id', 'in', roleIds)
      .orderBy('permission')
      .execute();
    for (const row of rows) byRole.get(row.role_id)!.push(row.permission);
    return byRole;
  };
  const toRoles = async (rows: Selectable<RolesTable>[]): Promise<Role[]> => {
    const permissions = await permissionsOf(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      permissions: permissions.get(r.id)!,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    }));
  };
  const changed = (result: { numInsertedOrUpdatedRows?: bigint; numDeletedRows?: bigint }) =>
    Number(result.numInsertedOrUpdatedRows ?? result.numDeletedRows ?? 0n) > 0;

  return {
    async insertRole(role) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('roles')
          .values({
            id: role.id,
            name: role.name,
            description: role.description,
            created_at: role.createdAt,
            updated_at: role.updatedAt,
          })
          .execute();
        if (role.permissions.length)
          await trx
            .insertInto('role_permissions')
            .values(role.permissions.map((permission) => ({ role_id: role.id, permission })))
            .execute();
      });
    },
    async findRoleByName(name) {
      const rows = await db.selectFrom('roles').selectAll().where('name', '=', name).execute();
      return (await toRoles(rows))[0];
    },
    async listRoles() {
      return toRoles(await db.selectFrom('roles').selectAll().orderBy('name').execute());
    },
    async updateRole(name, patch, now) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('roles')
          .selectAll()
          .where('name', '=', name)
          .executeTakeFirst();
        if (!row) return undefined;
        await trx
          .updateTable('roles')
          .set({
            updated_at: now,
            ...(patch.description !== undefined ? { description: patch.description } : {}),
          })
          .where('id', '=', row.id)
          .execute();
        if (patch.permissions) {
          await trx.deleteFrom('role_permissions').where('role_id', '=', row.id).execute();
          if (patch.permissions.length)
            await trx
              .insertInto('role_permissions')
              .values(patch.permissions.map((permission) => ({ role_id: row.id, permission })))
              .execute();
        }
        const updated = await trx
          .selectFrom('roles')
          .selectAll()
          .where('id', '=', row.id)
          .execute();
        const perms = await trx
          .selectFrom('role_permissions')
          .select('permission')
          .where('role_id', '=', row.id)
          .orderBy('permission')
          .execute();
        const [role] = updated;
        return {
          id: role!.id,
          name: role!.name,
          description: role!.description,
          permissions: perms.map((p) => p.permission),
          createdAt: Number(role!.created_at),
          updatedAt: Number(role!.updated_at),
        };
      });
    },
    async deleteRole(name) {
      const result = await db.deleteFrom('roles').where('name', '=', name).executeTakeFirst();
      return changed(result);
    },
    async definePermission(permission: Permission) {
      const result = await db
        .insertInto('permissions')
        .values({
          name: permission.name,
          description: permission.description,
          created_at: permission.createdAt,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .executeTakeFirst();
      return changed(result);
    },
    async listPermissions() {
      const rows = await db.selectFrom('permissions').selectAll().orderBy('name').execute();
      return rows.map((r) => ({
        name: r.name,
        description: r.description,
        createdAt: Number(r.created_at),
      }));
    },
    async deletePermission(name) {
      return changed(
        await db.deleteFrom('permissions').where('name', '=', name).executeTakeFirst(),
      );
    },
    async grantRole(userId, roleId, org, now) {
      const result = await db
        .insertInto('user_roles')
        .values({
          user_id: userId,
          role_id: roleId,
          organization_id: orgColumn(org),
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['user_id', 'role_id', 'organization_id']).doNothing())
        .executeTakeFirst();
      return changed(result);
    },
    async revokeRole(userId, roleId, org) {
      const result = await db
        .deleteFrom('user_roles')
        .where('user_id', '=', userId)
        .where('role_id', '=', roleId)
        .where('organization_id', '=', orgColumn(org))
        .executeTakeFirst();
      return changed(result);
    },
    async grantPermission(userId, permission, org, now) {
      const result = await db
        .insertInto('user_permissions')
        .values({ user_id: userId, permission, organization_id: orgColumn(org), created_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'permission', 'organization_id']).doNothing())
        .executeTakeFirst();
      return changed(result);
    },
    async revokePermission(userId, permission, org) {
      const result = await db
        .deleteFrom('user_permissions')
        .where('user_id', '=', userId)
        .where('permission', '=', permission)
        .where('organization_id', '=', orgColumn(org))
        .executeTakeFirst();
      return changed(result);
    },
    async grantsOf(userId) {
      const held = await db
        .selectFrom('user_roles')
        .innerJoin('roles', 'roles.id', 'user_roles.role_id')
        .selectAll('roles')
        .select('user_roles.organization_id as org')
        .where('user_roles.user_id', '=', userId)
        .orderBy('roles.name')
        .execute();
      const roles = await toRoles(held);
      const direct = await db
        .selectFrom('user_permissions')
        .select(['permission', 'organization_id'])
        .where('user_id', '=', userId)
        .orderBy('permission')
        .execute();
      return {
        roles: roles.map((role, i) => ({ role, org: orgOf(held[i]!.org) })),
        permissions: direct.map((d) => ({
          permission: d.permission,
          org: orgOf(d.organization_id),
        })),
      };
    },
    async countHolders(roleId) {
      const row = await db
        .selectFrom('user_roles')
        .select((eb) => eb.fn.count<string>('user_id').distinct().as('n'))
        .where('role_id', '=', roleId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async revokeOrganizationGrants(userId, org) {
      return db.transaction().execute(async (trx) => {
        const roles = await trx
          .deleteFrom('user_roles')
          .where('user_id', '=', userId)
          .where('organization_id', '=', org)
          .executeTakeFirst();
        const permissions = await trx
          .deleteFrom('user_permissions')
          .where('user_id', '=', userId)
          .where('organization_id', '=', org)
          .executeTakeFirst();
        return Number(roles.numDeletedRows) + Number(permissions.numDeletedRows);
      });
    },
  };
}
