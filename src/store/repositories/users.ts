import type { Kysely, Selectable } from 'kysely';
import type { User, UserRepository } from '../../core/users/user.js';
import type { Database, UsersTable } from '../schema.js';

const toUser = (row: Selectable<UsersTable>): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  emailVerifiedAt: row.email_verified_at,
  disabledAt: row.disabled_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function userRepository(db: Kysely<Database>): UserRepository {
  return {
    async insert(user) {
      await db
        .insertInto('users')
        .values({
          id: user.id,
          email: user.email,
          name: user.name,
          password_hash: user.passwordHash,
          email_verified_at: user.emailVerifiedAt,
          disabled_at: user.disabledAt,
          created_at: user.createdAt,
          updated_at: user.updatedAt,
        })
        .execute();
    },
    async findById(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    async findByEmail(email) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst();
      return row && toUser(row);
    },
    async markEmailVerified(id, at) {
      await db
        .updateTable('users')
        .set({ email_verified_at: at, updated_at: at })
        .where('id', '=', id)
        .where('email_verified_at', 'is', null)
        .execute();
    },
    async setDisabled(id, disabledAt, now) {
      const result = await db
        .updateTable('users')
        .set({ disabled_at: disabledAt, updated_at: now })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async list(limit, afterEmail) {
      let query = db.selectFrom('users').selectAll().orderBy('email').limit(limit);
      if (afterEmail !== undefined) query = query.where('email', '>', afterEmail);
      return (await query.execute()).map(toUser);
    },
    async updatePasswordHash(id, hash, now) {
      await db
        .updateTable('users')
        .set({ password_hash: hash, updated_at: now })
        .where('id', '=', id)
        .execute();
    },
  };
}
