import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { testDialects } from '../helpers/dialects.js';
import type { TestServer } from '../helpers/server.js';
import { tokenRequest } from '../helpers/server-calls.js';

for (const dialect of await testDialects()) {
  describe(`users, roles and organizations through the built CLI (${dialect})`, () => {
    let site: CliSite;
    let server: TestServer;
    let passwordClient: { id: string; client_secret: string };
    before(async () => {
      site = await cliSite(dialect);
      const setup = site.run(['setup', '--json', '--admin-email=Root@Example.com'], {
        PORTCULLIS_ADMIN_PASSWORD: 'correct horse battery staple',
      });
      assert.equal(setup.code, 0, setup.stderr);
      const made = JSON.parse(setup.stdout);
      assert.equal(made.administrator.email, 'root@example.com');
      assert.equal(made.administrator.created, true);
      passwordClient = made.password_client;
      server = await site.server();
    });
    after(() => site.close());

    const signIn = async (email: string, password = 'correct horse battery staple') => {
      server.clock.advance(2000);
      return tokenRequest(server, passwordClient, {
        grant_type: 'password',
        username: email,
        password,
      });
    };

    test('setup makes the first administrator; running it again promotes, never re-creates', async () => {
      const login = await signIn('root@example.com');
      assert.equal(login.statusCode, 200, login.body);
      const claims = decodeJwt(login.json().access_token);
      assert.deepEqual(claims.roles, ['admin']);
      assert.deepEqual(claims.permissions, ['*']);
      const again = site.json(['setup', '--json', '--admin-email=root@example.com']);
      assert.equal(again.administrator.created, false);
      const roles = site.json(['roles', '--json']) as Array<{ name: string; holders: number }>;
      assert.equal(roles.find((r) => r.name === 'admin')?.holders, 1);
      const noPassword = site.run(['setup', '--admin-email=new@example.com']);
      assert.equal(noPassword.code, 2, 'a new administrator needs a password');
    });

    test('roles:create, grant, revoke and delete; a user assigned a role gets it in the next token', async () => {
      const created = site.json([
        'roles:create',
        '--name=editor',
        '--permissions=posts:write',
        '--permissions=posts:read',
        '--description=Edits posts',
        '--json',
      ]);
      assert.deepEqual(created.permissions, ['posts:read', 'posts:write']);
      assert.equal(site.run(['roles:create', '--name=editor']).code, 1, 'a taken name fails');
      assert.equal(site.run(['roles:create', '--name=Bad Name']).code, 2, 'invalid input is usage');
      assert.deepEqual(
        site.json(['roles:grant', '--role=editor', '--permissions=comments:*', '--json'])
          .permissions,
        ['comments:*', 'posts:read', 'posts:write'],
      );
      assert.deepEqual(
        site.json(['roles:revoke', '--role=editor', '--permissions=posts:read', '--json'])
          .permissions,
        ['comments:*', 'posts:write'],
      );
      site.json([
        'users:create',
        '--email=ed@example.com',
        '--password=correct horse battery staple',
        '--json',
      ]);
      const assigned = site.json([
        'users:assign-role',
        '--user=ed@example.com',
        '--role=editor',
        '--json',
      ]);
      assert.equal(assigned.changed, true);
      const claims = decodeJwt((await signIn('ed@example.com')).json().access_token);
      assert.deepEqual(claims.roles, ['editor']);
      assert.deepEqual(claims.permissions, ['comments:*', 'posts:write']);
      const shown = site.json(['users:show', '--user=ed@example.com', '--json']);
      assert.deepEqual(shown.roles, ['editor']);
      assert.equal(site.run(['roles:delete', '--role=editor']).code, 2, 'no terminal: --force');
      assert.equal(site.run(['roles:delete', '--role=admin', '--force']).code, 2);
      site.json(['roles:delete', '--role=editor', '--force', '--json']);
      const after = decodeJwt((await signIn('ed@example.com')).json().access_token);
      assert.deepEqual(after.roles, []);
    });

    test('organizations: members hold per-organization roles, carried in tokens switched to the org', async () => {
      const org = site.json(['orgs:create', '--name=Acme Corp', '--json']);
      assert.equal(org.slug, 'acme-corp');
      site.json(['roles:create', '--name=billing', '--permissions=invoices:*', '--json']);
      site.json([
        'users:create',
        '--email=bo@example.com',
        '--password=correct horse battery staple',
        '--json',
      ]);
      const notMember = site.run([
        'users:assign-role',
        '--user=bo@example.com',
        '--role=billing',
        '--org=acme-corp',
      ]);
      assert.equal(notMember.code, 2, notMember.stderr);
      site.json(['orgs:add-member', '--org=acme-corp', '--user=bo@example.com', '--json']);
      site.json([
        'users:assign-role',
        '--user=bo@example.com',
        '--role=billing',
        '--org=acme-corp',
        '--json',
      ]);
      const plain = (await signIn('bo@example.com')).json().access_token as string;
      const global = decodeJwt(plain);
      assert.equal(global.org, undefined, 'a sign-in acts for no organization');
      assert.deepEqual(global.roles, [], 'an organization role is never a global claim');
      const switched = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/switch-org',
        headers: { authorization: `Bearer ${plain}` },
        payload: { organization_id: org.id },
      });
      assert.equal(switched.statusCode, 200, switched.body);
      const claims = decodeJwt(switched.json().access_token);
      assert.equal(claims.org, org.id);
      assert.deepEqual(claims.org_roles, ['billing']);
      const listed = site.json(['orgs', '--json']) as Array<{ slug: string }>;
      assert.ok(listed.some((o) => o.slug === 'acme-corp'));
    });

    test('users:disable refuses sign-in and revokes tokens; users:enable lets them back', async () => {
      site.json([
        'users:create',
        '--email=mal@example.com',
        '--password=correct horse battery staple',
        '--json',
      ]);
      const login = await signIn('mal@example.com');
      assert.equal(login.statusCode, 200);
      const disabled = site.json(['users:disable', '--user=mal@example.com', '--json']);
      assert.equal(disabled.already_disabled, false);
      assert.equal(disabled.revoked_access_tokens, 1);
      assert.equal((await signIn('mal@example.com')).statusCode, 400, 'invalid_grant');
      const record = await server.portcullis.ctx.repos.accessTokens.findByJti(
        String(decodeJwt(login.json().access_token).jti),
      );
      assert.notEqual(record?.revokedAt, null);
      site.json(['users:enable', '--user=mal@example.com', '--json']);
      assert.equal((await signIn('mal@example.com')).statusCode, 200);
      const users = site.json(['users', '--json']) as Array<{ email: string }>;
      assert.deepEqual(
        users.map((u) => u.email),
        [...users.map((u) => u.email)].sort(),
        'listed by email',
      );
      assert.equal(site.run(['users:show', '--user=nobody@example.com']).code, 1);
    });
  });
}
