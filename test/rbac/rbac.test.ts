import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import { basic, postForm } from '../helpers/oauth-inject.js';
import {
  createRole,
  deleteRole,
  definePermission,
  findRole,
  updateRole,
} from '../../src/core/rbac/manage-roles.js';
import {
  assignRole,
  grantPermission,
  removeRole,
  revokePermission,
} from '../../src/core/rbac/manage-grants.js';
import { createOrganization } from '../../src/core/rbac/manage-organizations.js';
import {
  can,
  hasAllPermissions,
  hasAnyPermission,
  hasAnyRole,
  hasRole,
} from '../../src/core/rbac/authorization.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/core/entity-errors.js';

for (const dialect of await testDialects()) {
  describe(`roles, permissions and organizations (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ dialect });
    });
    after(() => server.close());
    const ctx = () => server.portcullis.ctx;
    let counter = 0;
    const uniqueRole = (base: string) => `${base}-${++counter}`;

    test('the admin role exists from the first start, with every permission, and stays', async () => {
      const admin = await findRole(ctx(), 'admin');
      assert.deepEqual(admin.permissions, ['*']);
      await assert.rejects(deleteRole(ctx(), 'admin'), InvalidInputError);
      await assert.rejects(
        updateRole(ctx(), 'admin', { permissions: ['posts:read'] }),
        InvalidInputError,
      );
      const user = await server.createUser();
      await assignRole(ctx(), user.email, 'admin');
      assert.ok(await can(ctx(), user.id, 'anything:at-all'));
    });

    test('roles: names and permissions are checked; a name is taken once', async () => {
      for (const name of ['Admin', '9lives', 'a b', '', 'x'.repeat(65)])
        await assert.rejects(createRole(ctx(), { name }), InvalidInputError, name);
      for (const permission of ['posts', 'posts:read:extra', 'Posts:Read', '**', 'posts: read'])
        await assert.rejects(
          createRole(ctx(), { name: uniqueRole('bad'), permissions: [permission] }),
          InvalidInputError,
          permission,
        );
      const name = uniqueRole('editor');
      const role = await createRole(ctx(), {
        name,
        description: 'Edits posts',
        permissions: ['posts:write', 'posts:read', 'posts:read'],
      });
      assert.deepEqual(
        role.permissions,
        ['posts:read', 'posts:write'],
        'sorted, without duplicates',
      );
      await assert.rejects(createRole(ctx(), { name }), ConflictError);
      const updated = await updateRole(ctx(), name, { permissions: ['posts:*', '*:read'] });
      assert.deepEqual(updated.permissions, ['*:read', 'posts:*']);
      assert.equal(updated.description, 'Edits posts');
      await assert.rejects(updateRole(ctx(), 'no-such-role', { description: 'x' }), NotFoundError);
    });

    test('can, hasRole, hasAnyRole, hasAnyPermission, hasAllPermissions with wildcards', async () => {
      const editor = uniqueRole('editor');
      await createRole(ctx(), { name: editor, permissions: ['posts:*', '*:read'] });
      const user = await server.createUser();
      assert.equal(await assignRole(ctx(), user.id, editor), true);
      assert.equal(await assignRole(ctx(), user.id, editor), false, 'already held');
      assert.ok(await can(ctx(), user.id, 'posts:delete'));
      assert.ok(await can(ctx(), user.id, 'users:read'));
      assert.ok(!(await can(ctx(), user.id, 'users:write')));
      assert.ok(await hasRole(ctx(), user.id, editor));
      assert.ok(!(await hasRole(ctx(), user.id, 'admin')));
      assert.ok(await hasAnyRole(ctx(), user.id, ['admin', editor]));
      assert.ok(await hasAnyPermission(ctx(), user.id, ['users:write', 'posts:publish']));
      assert.ok(!(await hasAllPermissions(ctx(), user.id, ['users:write', 'posts:publish'])));
      await grantPermission(ctx(), user.email, 'users:write');
      assert.ok(await hasAllPermissions(ctx(), user.id, ['users:write', 'posts:publish']));
      await revokePermission(ctx(), user.email, 'users:write');
      await removeRole(ctx(), user.email, editor);
      assert.ok(!(await can(ctx(), user.id, 'posts:delete')));
    });

    test('grants in an organization count there only; members only', async () => {
      const acme = await createOrganization(ctx(), { name: `Acme ${++counter}` });
      const globex = await createOrganization(ctx(), { name: `Globex ${++counter}` });
      assert.match(acme.slug, /^acme-\d+$/);
      await assert.rejects(createOrganization(ctx(), { name: acme.name }), ConflictError);
      const manager = uniqueRole('manager');
      await createRole(ctx(), { name: manager, permissions: ['billing:*'] });
      const user = await server.createUser();
      await assert.rejects(assignRole(ctx(), user.id, manager, acme.slug), InvalidInputError);
      await ctx().repos.organizations.addMember(acme.id, user.id, ctx().clock.now());
      await ctx().repos.organizations.addMember(globex.id, user.id, ctx().clock.now());
      await assignRole(ctx(), user.id, manager, acme.slug);
      await grantPermission(ctx(), user.id, 'reports:read', globex.id);
      assert.ok(await can(ctx(), user.id, 'billing:pay', { org: acme.id }));
      assert.ok(!(await can(ctx(), user.id, 'billing:pay', { org: globex.id })));
      assert.ok(!(await can(ctx(), user.id, 'billing:pay')), 'not a global grant');
      assert.ok(await can(ctx(), user.id, 'reports:read', { org: globex.id }));
      assert.ok(!(await can(ctx(), user.id, 'reports:read', { org: acme.id })));
      assert.ok(await hasRole(ctx(), user.id, manager, { org: acme.id }));
      assert.ok(!(await hasRole(ctx(), user.id, manager, { org: globex.id })));
    });

    test('access tokens carry global grants only; an organization’s grants never become global claims', async () => {
      const org = await createOrganization(ctx(), { name: `Initech ${++counter}` });
      const writer = uniqueRole('writer');
      await createRole(ctx(), { name: writer, permissions: ['posts:write'] });
      const user = await server.createUser();
      await ctx().repos.organizations.addMember(org.id, user.id, ctx().clock.now());
      await assignRole(ctx(), user.id, writer, org.id);
      await grantPermission(ctx(), user.id, 'profile:edit');
      const { client, secret } = await server.createClient({ kind: 'password' });
      const response = await postForm(
        server.app,
        '/oauth/token',
        { grant_type: 'password', username: user.email, password: user.password },
        { authorization: basic(client.id, secret!) },
      );
      assert.equal(response.statusCode, 200, response.body);
      const claims = decodeJwt(response.json().access_token);
      assert.equal(claims.org, undefined, 'a sign-in acts for no organization');
      assert.deepEqual(claims.roles, []);
      assert.deepEqual(claims.permissions, ['profile:edit']);
      assert.equal(claims.org_roles, undefined);
    });

    test('deleting a role takes it from every holder; the catalogue lists defined permissions', async () => {
      const temp = uniqueRole('temp');
      await createRole(ctx(), { name: temp, permissions: ['temp:use'] });
      const user = await server.createUser();
      await assignRole(ctx(), user.id, temp);
      await deleteRole(ctx(), temp);
      assert.ok(!(await can(ctx(), user.id, 'temp:use')));
      await assert.rejects(deleteRole(ctx(), temp), NotFoundError);
      assert.equal(await definePermission(ctx(), 'posts:publish', 'Publish posts'), true);
      assert.equal(await definePermission(ctx(), 'posts:publish'), false);
      await assert.rejects(definePermission(ctx(), 'posts:*'), InvalidInputError);
      const names = (await ctx().repos.rbac.listPermissions()).map((p) => p.name);
      assert.ok(names.includes('posts:publish'));
    });
  });
}
