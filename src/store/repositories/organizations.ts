import type { Kysely, Selectable } from 'kysely';
import type { Organization, OrganizationRepository } from '../../core/rbac/organization.js';
import type { Database, OrganizationsTable } from '../schema.js';

const toOrganization = (row: Selectable<OrganizationsTable>): Organization => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

export function organizationRepository(db: Kysely<Database>): OrganizationRepository {
  return {
    async insertInvitation(invitation) {
      await db
        .insertInto('organization_invitations')
        .values({
          digest: invitation.digest,
          organization_id: invitation.organizationId,
          email: invitation.email,
          role: invitation.role,
          invited_by: invitation.invitedBy,
          expires_at: invitation.expiresAt,
          accepted_at: null,
          created_at: invitation.createdAt,
        })
        .execute();
    },
    async acceptInvitation(digest, email, now) {
      const row = await db
        .updateTable('organization_invitations')
        .set({ accepted_at: now })
        .where('digest', '=', digest)
        .where('email', '=', email)
        .where('accepted_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      return (
        row && {
          digest: row.digest,
          organizationId: row.organization_id,
          email: row.email,
          role: row.role,
          invitedBy: row.invited_by,
          expiresAt: Number(row.expires_at),
          acceptedAt: now,
          createdAt: Number(row.created_at),
        }
      );
    },
    async members(orgId, limit) {
      const rows = await db
        .selectFrom('organization_members')
        .innerJoin('users', 'users.id', 'organization_members.user_id')
        .select([
          'users.id as userId',
          'users.email as email',
          'users.name as name',
          'organization_members.created_at as joinedAt',
        ])
        .where('organization_members.organization_id', '=', orgId)
        .orderBy('organization_members.created_at')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...r, joinedAt: Number(r.joinedAt) }));
    },
    async insert(org) {
      await db
        .insertInto('organizations')
        .values({
          id: org.id,
          name: org.name,
          slug: org.slug,
          created_at: org.createdAt,
          updated_at: org.updatedAt,
        })
        .execute();
    },
    async findById(id) {
      const row = await db
        .selectFrom('organizations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toOrganization(row);
    },
    async findBySlug(slug) {
      const row = await db
        .selectFrom('organizations')
        .selectAll()
        .where('slug', '=', slug)
        .executeTakeFirst();
      return row && toOrganization(row);
    },
    async list(limit) {
      const rows = await db
        .selectFrom('organizations')
        .selectAll()
        .orderBy('slug')
        .limit(limit)
        .execute();
      return rows.map(toOrganization);
    },
    async addMember(orgId, userId, now) {
      const result = await db
        .insertInto('organization_members')
        .values({ organization_id: orgId, user_id: userId, created_at: now })
        .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async removeMember(orgId, userId) {
      const result = await db
        .deleteFrom('organization_members')
        .where('organization_id', '=', orgId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async isMember(orgId, userId) {
      const row = await db
        .selectFrom('organization_members')
        .select('user_id')
        .where('organization_id', '=', orgId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row !== undefined;
    },
    async membershipsOf(userId) {
      const rows = await db
        .selectFrom('organization_members')
        .innerJoin('organizations', 'organizations.id', 'organization_members.organization_id')
        .selectAll('organizations')
        .where('organization_members.user_id', '=', userId)
        .orderBy('organization_members.created_at')
        .orderBy('organizations.id')
        .execute();
      return rows.map(toOrganization);
    },
  };
}
