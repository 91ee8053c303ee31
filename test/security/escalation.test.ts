import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import {
  bearer,
  defineAuthorityScopes,
  delegatedToken,
  introspect,
  invitationToken,
  mailTo,
  orgSession,
  personalToken,
  serviceClient,
  signIn,
  switchOrg,
  thirdPartyApp,
} from '../helpers/credentials.js';
import { basic, postForm } from '../helpers/oauth-inject.js';
import { createApiKey } from '../../src/core/apikeys/create-api-key.js';
import { assignRole, removeRole } from '../../src/core/rbac/manage-grants.js';
import { createRole, ensureAdminRole } from '../../src/core/rbac/manage-roles.js';
import { disableUser, userDetails } from '../../src/core/users/manage-users.js';

/**
 * The escalations the authority model closes (/work/authority-spec.md), each reproduced exactly
 * as reported: a credential of little power that reached, step by step, administration of the
 * whole server; and credentials that outlived what they came from.
 */

let unique = 0;
const next = (prefix: string) => `${prefix}-${++unique}-${Date.now().toString(36)}`;

for (const dialect of await testDialects()) {
  describe(`escalation: no credential reaches beyond its source (${dialect})`, () => {
    let server: TestServer;
    /** A confidential client that may introspect. */
    let introspector: { id: string; secret: string };
    type User = Awaited<ReturnType<TestServer['createUser']>>;

    before(async () => {
      server = await startTestServer({ dialect });
      const ctx = server.portcullis.ctx;
      await defineAuthorityScopes(server);
      await ensureAdminRole(ctx);
      await createRole(ctx, { name: 'reader', permissions: ['posts:read'] });
      await createRole(ctx, { name: 'inviter', permissions: ['members:invite'] });
      await createRole(ctx, { name: 'role-keeper', permissions: ['roles:read', 'roles:write'] });
      introspector = await serviceClient(server);
    });
    after(() => server?.close());

    const call = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      credential: string | undefined,
      payload?: object,
    ) =>
      server.app.inject({
        method,
        url,
        headers: bearer(credential),
        ...(payload ? { payload } : {}),
      });
    const ctx = () => server.portcullis.ctx;
    /** An organization created by `owner` over HTTP (its creator is admin there). */
    const createOrg = async (ownerSession: string, name = next('Org')) => {
      const created = await call('POST', '/api/v1/organizations', ownerSession, { name });
      assert.equal(created.statusCode, 201, created.body);
      return { id: (created.json() as { id: string }).id, name };
    };
    /** `GET /api/v1/api-keys/self` with an API key: the status. */
    const selfStatus = async (key: string) =>
      (await call('GET', '/api/v1/api-keys/self', key)).statusCode;

    /**
     * The chain from a weak credential to administration: create an organization (admin there),
     * switch into it, and use the org admin's power on the whole server.
     */
    const climb = async (credential: string, user: User, label: string) => {
      const created = await call('POST', '/api/v1/organizations', credential, {
        name: next('Org'),
      });
      assert.equal(created.statusCode, 403, `${label}: creating an organization: ${created.body}`);

      // Even with an organization where the user is admin, the credential cannot switch into it.
      const own = await createOrg((await signIn(server, user)).access_token);
      const switched = await switchOrg(server, credential, own.id);
      assert.equal(switched.statusCode, 403, `${label}: switch-org: ${switched.body}`);
      assert.equal(switched.json().access_token, undefined, `${label}: switch-org gave a token`);

      const roles = await call('GET', '/api/v1/roles', credential);
      assert.equal(roles.statusCode, 403, `${label}: GET /roles: ${roles.body}`);
      const made = await call('POST', '/api/v1/roles', credential, {
        name: 'x',
        permissions: ['*'],
      });
      assert.equal(made.statusCode, 403, `${label}: POST /roles: ${made.body}`);
      const pat = await call('POST', '/oauth/personal-access-tokens', credential, {
        name: 'escalated',
        scopes: ['roles:read', 'roles:write', 'users:write', 'api-keys:admin'],
      });
      assert.equal(pat.statusCode, 403, `${label}: minting a PAT: ${pat.body}`);
      const me = await call('GET', '/api/v1/auth/me', credential);
      assert.ok(
        me.statusCode === 403 || (me.statusCode === 200 && me.json().email === undefined),
        `${label}: /auth/me shows the email: ${me.statusCode} ${me.body}`,
      );
    };

    test('a third-party token with scope openid cannot climb to administration through an organization', async () => {
      const user = await server.createUser();
      const app = await thirdPartyApp(server);
      await climb(await delegatedToken(server, app, user, 'openid'), user, 'delegated openid');
    });

    test('a personal access token cannot climb to administration through an organization', async () => {
      const user = await server.createUser();
      const session = (await signIn(server, user)).access_token;
      const { token } = await personalToken(server, session, ['openid']);
      await climb(token, user, 'personal openid');

      // One allowed to create organizations still cannot switch into its own or use its power.
      const { token: writer } = await personalToken(server, session, ['organizations:write']);
      const made = await call('POST', '/api/v1/organizations', writer, { name: next('Org') });
      assert.equal(made.statusCode, 201, made.body);
      const switched = await switchOrg(server, writer, made.json().id);
      assert.equal(switched.statusCode, 403, switched.body);
      assert.equal(switched.json().access_token, undefined);
      assert.equal((await call('GET', '/api/v1/roles', writer)).statusCode, 403);
    });

    test('creating an organization makes its creator admin there only; plain logins carry global grants only', async () => {
      const email = `${next('self')}@example.com`;
      const password = 'an unusual passphrase for this account';
      const registered = await call('POST', '/api/v1/auth/register', undefined, {
        email,
        password,
        name: 'Self Registered',
      });
      assert.equal(registered.statusCode, 202, registered.body);
      const first = (await signIn(server, { email, password })).access_token;
      const org = await createOrg(first);

      const plain = decodeJwt((await signIn(server, { email, password })).access_token);
      assert.ok(!((plain.roles as string[] | undefined) ?? []).includes('admin'), 'admin in roles');
      assert.ok(
        !((plain.permissions as string[] | undefined) ?? []).includes('*'),
        '* in permissions',
      );
      assert.ok(
        plain.org === undefined || plain.org === null,
        `a plain login acts for ${String(plain.org)}`,
      );

      const switched = await orgSession(server, { email, password }, org.id);
      const claims = decodeJwt(switched.access_token);
      assert.equal(claims.org, org.id);
      assert.ok(
        (claims.org_roles as string[] | undefined)?.includes('admin'),
        'org_roles lacks admin',
      );
      assert.ok(
        !((claims.roles as string[] | undefined) ?? []).includes('admin'),
        'admin in global roles',
      );
    });

    test('third-party and personal tokens carry roles and permissions only with the roles scope', async () => {
      const user = await server.createUser();
      await assignRole(ctx(), user.id, 'reader');
      const app = await thirdPartyApp(server);
      const session = (await signIn(server, user)).access_token;
      const without = [
        decodeJwt(await delegatedToken(server, app, user, 'openid')),
        decodeJwt((await personalToken(server, session, ['profile'])).token),
      ];
      for (const claims of without) {
        assert.equal(
          claims.roles,
          undefined,
          `roles in a token without the roles scope (${String(claims.scope)})`,
        );
        assert.equal(claims.permissions, undefined, 'permissions without the roles scope');
      }
      const withRoles = [
        decodeJwt(await delegatedToken(server, app, user, 'openid roles')),
        decodeJwt((await personalToken(server, session, ['roles'])).token),
      ];
      for (const claims of withRoles) {
        assert.deepEqual(
          claims.roles,
          ['reader'],
          `roles with the roles scope (${String(claims.scope)})`,
        );
        // The user's permissions ∩ the token's scopes: `posts:read` was never consented to.
        assert.deepEqual(claims.permissions, []);
      }
    });

    test('a personal access token with api-keys:write mints no key beyond its user (no *, no enterprise tier)', async () => {
      const user = await server.createUser();
      await assignRole(ctx(), user.id, 'reader');
      const session = (await signIn(server, user)).access_token;
      const { token } = await personalToken(server, session, ['api-keys:write']);
      const star = await call('POST', '/api/v1/api-keys', token, { name: 'all', scopes: ['*'] });
      assert.equal(star.statusCode, 403, star.body);
      const enterprise = await call('POST', '/api/v1/api-keys', token, {
        name: 'unlimited',
        scopes: [],
        tier: 'enterprise',
      });
      assert.equal(enterprise.statusCode, 403, enterprise.body);
      // Within the token's power (its user's grants ∩ its scopes): allowed.
      const within = await call('POST', '/api/v1/api-keys', token, {
        name: 'key manager',
        scopes: ['api-keys:write'],
      });
      assert.equal(within.statusCode, 201, within.body);
      // A scope the user holds but the token does not: a personal token is bounded by both.
      const beyondToken = await call('POST', '/api/v1/api-keys', token, {
        name: 'reader key',
        scopes: ['posts:read'],
      });
      assert.equal(beyondToken.statusCode, 403, beyondToken.body);
      // The user's own sign-in holds what the user holds.
      const held = await call('POST', '/api/v1/api-keys', session, {
        name: 'reader key',
        scopes: ['posts:read'],
      });
      assert.equal(held.statusCode, 201, held.body);
    });

    test("a user's API keys die with a disabled account: refused at once and inactive at introspection", async () => {
      const user = await server.createUser();
      const { key } = await createApiKey(ctx(), { name: 'k', scopes: [], userId: user.id });
      assert.equal(await selfStatus(key), 200);
      await disableUser(ctx(), user.id);
      assert.equal(await selfStatus(key), 401, 'the key of a disabled user still works');
      assert.equal((await introspect(server, introspector, key)).active, false);
    });

    test("a password reset through the mailed link revokes the user's API keys", async () => {
      const user = await server.createUser();
      const { key } = await createApiKey(ctx(), { name: 'k', scopes: [], userId: user.id });
      assert.equal(await selfStatus(key), 200);
      const asked = await call('POST', '/api/v1/auth/forgot-password', undefined, {
        email: user.email,
      });
      assert.equal(asked.statusCode, 202, asked.body);
      const mail = await mailTo(server, user.email, /reset-password\?token=/);
      const token = decodeURIComponent(mail.match(/reset-password\?token=([A-Za-z0-9_%-]+)/)![1]!);
      const reset = await call('POST', '/api/v1/auth/reset-password', undefined, {
        token,
        password: 'an entirely new passphrase',
      });
      assert.equal(reset.statusCode, 200, reset.body);
      assert.equal(await selfStatus(key), 401, 'the key outlived the password reset');
      assert.equal((await introspect(server, introspector, key)).active, false);
    });

    test('a client-credentials client created without scopes gets none: no admin role, no keys of others', async () => {
      const target = await server.createUser();
      await createApiKey(ctx(), { name: 'theirs', scopes: [], userId: target.id });
      const client = await serviceClient(server);
      // Asking for administrative scopes is refused, or answered with a token without them.
      const asked = await postForm(
        server.app,
        '/oauth/token',
        { grant_type: 'client_credentials', scope: 'roles:write users:read api-keys:admin' },
        { authorization: basic(client.id, client.secret) },
      );
      const tokens: string[] = [];
      if (asked.statusCode === 200) tokens.push(asked.json().access_token);
      else assert.equal(asked.json().error, 'invalid_scope', asked.body);
      const plain = await postForm(
        server.app,
        '/oauth/token',
        { grant_type: 'client_credentials' },
        { authorization: basic(client.id, client.secret) },
      );
      assert.equal(plain.statusCode, 200, plain.body);
      tokens.push(plain.json().access_token);
      for (const token of tokens) {
        const scope = String(decodeJwt(token).scope ?? '');
        assert.equal(scope, '', `a client without scopes got "${scope}"`);
        const assigned = await call('POST', `/api/v1/users/${target.id}/roles`, token, {
          role: 'admin',
        });
        assert.equal(assigned.statusCode, 403, assigned.body);
        const keys = await call('GET', '/api/v1/api-keys', token);
        assert.equal(keys.statusCode, 403, keys.body);
      }
      assert.ok(!(await userDetails(ctx(), target.id)).roles.includes('admin'));
    });

    test('a member holding only members:invite cannot invite with the admin role', async () => {
      const owner = await server.createUser();
      const org = await createOrg((await signIn(server, owner)).access_token);
      const member = await server.createUser();
      await ctx().repos.organizations.addMember(org.id, member.id, ctx().clock.now());
      await assignRole(ctx(), member.id, 'inviter', org.id);
      const session = (await orgSession(server, member, org.id)).access_token;
      const invite = (email: string, role?: string) =>
        call('POST', `/api/v1/organizations/${org.id}/invitations`, session, {
          email,
          ...(role ? { role } : {}),
        });
      const self = await invite(member.email, 'admin');
      assert.equal(self.statusCode, 403, `inviting oneself as admin: ${self.body}`);
      const other = await invite(`${next('friend')}@example.com`, 'admin');
      assert.equal(other.statusCode, 403, `inviting another as admin: ${other.body}`);
      const plain = await invite(`${next('friend')}@example.com`);
      assert.equal(plain.statusCode, 202, `a role-less invitation: ${plain.body}`);
    });

    test('a roles:write holder cannot give themselves admin nor create a role with *', async () => {
      const user = await server.createUser();
      await assignRole(ctx(), user.id, 'role-keeper');
      const session = (await signIn(server, user)).access_token;
      const admin = await call('POST', `/api/v1/users/${user.id}/roles`, session, {
        role: 'admin',
      });
      assert.equal(admin.statusCode, 403, `assigning oneself admin: ${admin.body}`);
      const star = await call('POST', '/api/v1/roles', session, {
        name: next('star').replace(/[^a-z0-9-]/g, ''),
        permissions: ['*'],
      });
      assert.equal(star.statusCode, 403, `a role with *: ${star.body}`);
      const within = await call('POST', '/api/v1/roles', session, {
        name: next('within').replace(/[^a-z0-9-]/g, ''),
        permissions: ['roles:read'],
      });
      assert.equal(within.statusCode, 201, `a role within one's power: ${within.body}`);
      assert.ok(!(await userDetails(ctx(), user.id)).roles.includes('admin'));
    });

    test("removal from an organization takes the member's roles there and revokes their keys of it", async () => {
      const owner = await server.createUser();
      const org = await createOrg((await signIn(server, owner)).access_token);
      const ownerOrg = (await orgSession(server, owner, org.id)).access_token;
      const member = await server.createUser();
      const used: string[] = [];
      const invite = async (role?: string) => {
        const invited = await call(
          'POST',
          `/api/v1/organizations/${org.id}/invitations`,
          ownerOrg,
          {
            email: member.email,
            ...(role ? { role } : {}),
          },
        );
        assert.equal(invited.statusCode, 202, invited.body);
        const token = await invitationToken(server, member.email, org.name, used);
        used.push(token);
        const memberSession = (await signIn(server, member)).access_token;
        const accepted = await call(
          'POST',
          '/api/v1/organizations/invitations/accept',
          memberSession,
          { token },
        );
        assert.equal(accepted.statusCode, 200, accepted.body);
      };
      await invite('admin');
      const grantsThere = async () =>
        (await userDetails(ctx(), member.id)).organizationGrants.find(
          (g) => g.organization.id === org.id,
        )?.roles ?? [];
      assert.deepEqual(await grantsThere(), ['admin']);
      const orgKey = await createApiKey(ctx(), {
        name: 'org key',
        scopes: [],
        userId: member.id,
        organizationId: org.id,
      });
      assert.equal(await selfStatus(orgKey.key), 200);

      const removed = await call(
        'DELETE',
        `/api/v1/organizations/${org.id}/members/${member.id}`,
        ownerOrg,
      );
      assert.equal(removed.statusCode, 204, removed.body);
      assert.equal(await selfStatus(orgKey.key), 401, 'the org key outlived the removal');
      const rotated = await call(
        'POST',
        `/api/v1/api-keys/${orgKey.apiKey.id}/rotate`,
        (await signIn(server, member)).access_token,
      );
      assert.notEqual(rotated.statusCode, 201, `a revoked org key was rotated: ${rotated.body}`);

      await invite();
      assert.deepEqual(await grantsThere(), [], 'admin came back with a role-less invitation');
      const claims = decodeJwt((await orgSession(server, member, org.id)).access_token);
      assert.ok(!((claims.org_roles as string[] | undefined) ?? []).includes('admin'));
      assert.ok(!((claims.roles as string[] | undefined) ?? []).includes('admin'));
    });

    test("an API key's power shrinks when its owner loses a grant", async () => {
      const user = await server.createUser();
      await assignRole(ctx(), user.id, 'reader');
      const { key } = await createApiKey(ctx(), {
        name: 'reader key',
        scopes: ['posts:read'],
        userId: user.id,
      });
      const scopes = async () => {
        const answer = await introspect(server, introspector, key);
        return answer.active
          ? String(answer.scope ?? '')
              .split(' ')
              .filter(Boolean)
          : [];
      };
      assert.deepEqual(await scopes(), ['posts:read']);
      await removeRole(ctx(), user.id, 'reader');
      assert.deepEqual(await scopes(), [], 'the key kept a scope its owner lost');
    });
  });
}
