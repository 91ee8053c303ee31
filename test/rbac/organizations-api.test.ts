import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import { createRole } from '../../src/core/rbac/manage-roles.js';

for (const dialect of await testDialects()) {
  describe(`organizations API: create, invite, accept, switch (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ dialect });
      await createRole(server.portcullis.ctx, { name: 'editor', permissions: ['posts:*'] });
    });
    after(() => server.close());

    const signIn = async () => {
      const user = await server.createUser();
      const login = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: user.password },
      });
      assert.equal(login.statusCode, 200, login.body);
      const pair = login.json() as { access_token: string; refresh_token: string };
      return { user, pair, auth: { authorization: `Bearer ${pair.access_token}` } };
    };
    const call = (
      method: 'GET' | 'POST',
      url: string,
      headers: Record<string, string>,
      payload?: object,
    ) => server.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    const invitationToken = async (email: string) => {
      await server.portcullis.ctx.mailQueue.drained();
      const folder = join(server.storageDir, 'mail');
      const mail = readdirSync(folder)
        .sort()
        .map((f) => readFileSync(join(folder, f), 'utf8').replace(/=\r?\n/g, ''))
        .filter((m) => m.includes(`To: ${email}`) && m.includes('invited'))
        .at(-1);
      const token = mail?.match(/"token": "([A-Za-z0-9_-]+)"/)?.[1];
      assert.ok(token, `no invitation mailed to ${email}`);
      return token;
    };

    test('a member invites by email; the invitee accepts, switches to it, and refreshes keep it', async () => {
      const owner = await signIn();
      const created = await call('POST', '/api/v1/organizations', owner.auth, {
        name: `Acme ${Date.now()}`,
      });
      assert.equal(created.statusCode, 201, created.body);
      const org = created.json() as { id: string; slug: string };
      const mine = (await call('GET', '/api/v1/organizations', owner.auth)).json() as Array<{
        id: string;
      }>;
      assert.deepEqual(
        mine.map((o) => o.id),
        [org.id],
      );

      const invitee = await signIn();
      const plainInvite = await call(
        'POST',
        `/api/v1/organizations/${org.id}/invitations`,
        owner.auth,
        { email: invitee.user.email, role: 'editor' },
      );
      assert.equal(
        plainInvite.statusCode,
        403,
        'org grants count only in a session switched to it',
      );
      const ownerInOrg = await call('POST', '/api/v1/auth/switch-org', owner.auth, {
        organization_id: org.id,
      });
      assert.equal(ownerInOrg.statusCode, 200, ownerInOrg.body);
      owner.auth = { authorization: `Bearer ${ownerInOrg.json().access_token}` };
      const invited = await call(
        'POST',
        `/api/v1/organizations/${org.id}/invitations`,
        owner.auth,
        {
          email: invitee.user.email.toUpperCase(),
          role: 'editor',
        },
      );
      assert.equal(invited.statusCode, 202, invited.body);
      const token = await invitationToken(invitee.user.email);

      const stranger = await signIn();
      const wrongPerson = await call(
        'POST',
        '/api/v1/organizations/invitations/accept',
        stranger.auth,
        { token },
      );
      assert.equal(wrongPerson.statusCode, 400, 'an invitation is for its address only');
      const accepted = await call(
        'POST',
        '/api/v1/organizations/invitations/accept',
        invitee.auth,
        { token },
      );
      assert.equal(accepted.statusCode, 200, accepted.body);
      const again = await call('POST', '/api/v1/organizations/invitations/accept', invitee.auth, {
        token,
      });
      assert.equal(again.statusCode, 400, 'single use');

      const members = (
        await call('GET', `/api/v1/organizations/${org.id}/members`, owner.auth)
      ).json() as Array<{ email: string }>;
      assert.deepEqual(
        members.map((m) => m.email).sort(),
        [owner.user.email, invitee.user.email].sort(),
      );

      const switched = await call('POST', '/api/v1/auth/switch-org', invitee.auth, {
        organization_id: org.id,
      });
      assert.equal(switched.statusCode, 200, switched.body);
      const pair = switched.json() as { access_token: string; refresh_token: string };
      const claims = decodeJwt(pair.access_token);
      assert.equal(claims.org, org.id);
      assert.deepEqual(claims.roles, [], 'global claims hold global grants only');
      assert.deepEqual(claims.org_roles, ['editor']);
      assert.deepEqual(claims.org_permissions, ['posts:*']);
      assert.equal(
        (await call('GET', '/api/v1/auth/me', invitee.auth)).statusCode,
        401,
        'the old session ended',
      );
      const refreshed = await call(
        'POST',
        '/api/v1/auth/refresh',
        {},
        { refresh_token: pair.refresh_token },
      );
      assert.equal(refreshed.statusCode, 200, refreshed.body);
      assert.equal(
        decodeJwt(refreshed.json().access_token).org,
        org.id,
        'a refresh keeps the organization',
      );
    });

    test("non-members see no organization; members without members:invite cannot invite; no switch into others' orgs", async () => {
      const owner = await signIn();
      const org = (
        await call('POST', '/api/v1/organizations', owner.auth, { name: `Globex ${Date.now()}` })
      ).json() as { id: string };
      const outsider = await signIn();
      assert.equal(
        (await call('GET', `/api/v1/organizations/${org.id}/members`, outsider.auth)).statusCode,
        404,
      );
      const invite = await call(
        'POST',
        `/api/v1/organizations/${org.id}/invitations`,
        outsider.auth,
        { email: 'x@example.com' },
      );
      assert.equal(invite.statusCode, 404);
      const switched = await call('POST', '/api/v1/auth/switch-org', outsider.auth, {
        organization_id: org.id,
      });
      assert.equal(switched.statusCode, 403);
      assert.equal(switched.json().error, 'access_denied');

      const member = await signIn();
      await server.portcullis.ctx.repos.organizations.addMember(org.id, member.user.id, Date.now());
      const plainInvite = await call(
        'POST',
        `/api/v1/organizations/${org.id}/invitations`,
        member.auth,
        { email: 'y@example.com' },
      );
      assert.equal(plainInvite.statusCode, 403);
      assert.equal((await call('GET', '/api/v1/organizations', {})).statusCode, 401);
    });
  });
}
