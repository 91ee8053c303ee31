import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import { basic, postForm } from '../helpers/oauth-inject.js';
import { obtainCode } from '../helpers/code-flow.js';
import { assignRole } from '../../src/core/rbac/manage-grants.js';
import { createOrganization } from '../../src/core/rbac/manage-organizations.js';

for (const dialect of await testDialects()) {
  describe(`RBAC administration API (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ dialect });
    });
    after(() => server.close());
    const ctx = () => server.portcullis.ctx;

    const signedIn = async (admin: boolean) => {
      const user = await server.createUser();
      if (admin) await assignRole(ctx(), user.id, 'admin');
      const login = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: user.password },
      });
      assert.equal(login.statusCode, 200, login.body);
      return { user, auth: { authorization: `Bearer ${login.json().access_token}` } };
    };
    const call = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      headers: Record<string, string>,
      payload?: object,
    ) => server.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

    test('an administrator manages roles and gives them to users, globally or per organization', async () => {
      const { auth } = await signedIn(true);
      const created = await call('POST', '/api/v1/roles', auth, {
        name: 'editor',
        description: 'Edits posts',
        permissions: ['posts:*'],
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.headers['cache-control'], 'no-store');
      assert.equal((await call('POST', '/api/v1/roles', auth, { name: 'editor' })).statusCode, 409);
      const patched = await call('PATCH', '/api/v1/roles/editor', auth, {
        permissions: ['posts:read'],
      });
      assert.deepEqual(patched.json().permissions, ['posts:read']);
      const listed = (await call('GET', '/api/v1/roles', auth)).json() as Array<{ name: string }>;
      assert.deepEqual(listed.map((r) => r.name).sort(), ['admin', 'editor']);

      const target = await server.createUser();
      const given = await call('POST', `/api/v1/users/${target.id}/roles`, auth, {
        role: 'editor',
      });
      assert.equal(given.statusCode, 200, given.body);
      assert.deepEqual(given.json().roles, ['editor']);
      const org = await createOrganization(ctx(), { name: `Org ${Date.now()}` });
      const notMember = await call('POST', `/api/v1/users/${target.id}/roles`, auth, {
        role: 'admin',
        organization_id: org.id,
      });
      assert.equal(notMember.statusCode, 400, 'only members get roles in an organization');
      await ctx().repos.organizations.addMember(org.id, target.id, ctx().clock.now());
      const inOrg = await call('POST', `/api/v1/users/${target.email}/roles`, auth, {
        role: 'admin',
        organization_id: org.id,
      });
      assert.deepEqual(inOrg.json().organizations, [
        { organization: org.id, roles: ['admin'], permissions: [] },
      ]);
      const removed = await call('DELETE', `/api/v1/users/${target.id}/roles/editor`, auth);
      assert.deepEqual(removed.json().roles, []);
      assert.equal((await call('DELETE', '/api/v1/roles/admin', auth)).statusCode, 400);
      assert.equal((await call('DELETE', '/api/v1/roles/editor', auth)).statusCode, 204);
      assert.equal((await call('GET', '/api/v1/roles/editor', auth)).statusCode, 404);
      const permission = await call('POST', '/api/v1/permissions', auth, {
        name: 'posts:publish',
        description: 'Publish',
      });
      assert.equal(permission.statusCode, 201);
      const catalogue = (await call('GET', '/api/v1/permissions', auth)).json() as Array<{
        name: string;
      }>;
      assert.ok(catalogue.some((p) => p.name === 'posts:publish'));
    });

    test('a user without the permission, a third-party app and no token are refused', async () => {
      const { auth } = await signedIn(false);
      const refused = await call('POST', '/api/v1/roles', auth, { name: 'sneaky' });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error, 'insufficient_scope');
      const anonymous = await call('GET', '/api/v1/roles', {});
      assert.equal(anonymous.statusCode, 401);

      // An administrator's token from a third-party (consent-screen) app carries no admin power.
      const flow = await obtainCode(server, 'openid');
      await assignRole(ctx(), flow.user.id, 'admin');
      const exchanged = await flow.exchange();
      assert.equal(exchanged.statusCode, 200, exchanged.body);
      const thirdParty = { authorization: `Bearer ${exchanged.json().access_token}` };
      const viaApp = await call('GET', '/api/v1/roles', thirdParty);
      assert.equal(
        viaApp.statusCode,
        403,
        'the admin role does not travel through a third-party app',
      );
    });

    test('a service with the roles:write scope administers roles by client credentials', async () => {
      const service = await server.createClient({
        kind: 'client_credentials',
        scopes: ['roles:read', 'roles:write'],
      });
      const token = await postForm(
        server.app,
        '/oauth/token',
        { grant_type: 'client_credentials', scope: 'roles:read roles:write' },
        { authorization: basic(service.client.id, service.secret!) },
      );
      assert.equal(token.statusCode, 200, token.body);
      const auth = { authorization: `Bearer ${token.json().access_token}` };
      const created = await call('POST', '/api/v1/roles', auth, { name: `svc-${Date.now()}` });
      assert.equal(created.statusCode, 201, created.body);
      const readOnly = await server.createClient({
        kind: 'client_credentials',
        scopes: ['roles:read'],
      });
      const readToken = await postForm(
        server.app,
        '/oauth/token',
        { grant_type: 'client_credentials', scope: 'roles:read' },
        { authorization: basic(readOnly.client.id, readOnly.secret!) },
      );
      const readAuth = { authorization: `Bearer ${readToken.json().access_token}` };
      assert.equal((await call('GET', '/api/v1/roles', readAuth)).statusCode, 200);
      assert.equal(
        (await call('POST', '/api/v1/roles', readAuth, { name: 'nope' })).statusCode,
        403,
      );
    });
  });
}
