import type { Kysely } from 'kysely';

// Roles, permissions and organizations (Spatie-style). Role definitions are global; a user holds
// a role, or a direct permission, either everywhere (`organization_id` = '') or in one
// organization. '' rather than NULL for "everywhere" so it can sit in the primary key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('slug', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('organization_members')
    .addColumn('organization_id', 'varchar(26)', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'varchar(26)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_members_pk', ['organization_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('organization_members_user')
    .on('organization_members')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('permissions')
    .addColumn('name', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('description', 'varchar(500)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('roles')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('description', 'varchar(500)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('role_permissions')
    .addColumn('role_id', 'varchar(26)', (c) =>
      c.notNull().references('roles.id').onDelete('cascade'),
    )
    // A permission or a pattern (`posts:*`, `*`): the grammar of scopes.
    .addColumn('permission', 'varchar(128)', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_permissions_pk', ['role_id', 'permission'])
    .execute();
  await db.schema
    .createTable('user_roles')
    .addColumn('user_id', 'varchar(26)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('role_id', 'varchar(26)', (c) =>
      c.notNull().references('roles.id').onDelete('cascade'),
    )
    .addColumn('organization_id', 'varchar(26)', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role_id', 'organization_id'])
    .execute();
  await db.schema
    .createTable('user_permissions')
    .addColumn('user_id', 'varchar(26)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('permission', 'varchar(128)', (c) => c.notNull())
    .addColumn('organization_id', 'varchar(26)', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_permissions_pk', ['user_id', 'permission', 'organization_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'user_permissions',
    'user_roles',
    'role_permissions',
    'roles',
    'permissions',
    'organization_members',
    'organizations',
  ])
    await db.schema.dropTable(table).execute();
}
