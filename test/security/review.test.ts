/**
 * Security review of the authority model (branch `authority`): each test reproduces one finding
 * through real HTTP requests and asserts the SAFE behaviour, so it fails until the finding is fixed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createRole } from '../../src/core/rbac/manage-roles.js';
import { assignRole } from '../../src/core/rbac/manage-grants.js';
import { disableUser } from '../../src/core/users/manage-users.js';
import { postsApi } from '../apikeys/helpers.js';
import { obtainCode } from '../helpers/code-flow.js';
import { createGuard } from '../../src/guard/index.js';
import { cachedGrants } from '../../src/store/repositories/cached.js';
import { localCacheBus } from '../../src/store/cache-bus.js';
import { ManualClock } from '../../src/core/clock.js';
import type { RbacRepository, UserGrants } from '../../src/core/rbac/rbac.js';

describe('security review: authority model (sqlite)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dialect: 'sqlite' });
    await createRole(server.portcullis.ctx, { name: 'editor', permissions: ['posts:*'] });
  });
  after(() => server.close());

  type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
  const call = (method: Method, url: string, token: string, payload?: object) =>
    server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });

  /** A plain sign-in (Auth API login): a session with no organization. */
  const signIn = async (globalRole?: string) => {
    const user = await server.createUser();
    if (globalRole) await assignRole(server.portcullis.ctx, user.id, globalRole);
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    assert.equal(login.statusCode, 200, login.body);
    return { user, token: (login.json() as { access_token: string }).access_token };
  };

  /** Any user: creates an organization (becoming its `admin` there) and switches to it. */
  const orgAdminSession = async () => {
    const { user, token } = await signIn();
    const created = await call('POST', '/api/v1/organizations', token, {
      name: `Evil ${Date.now()} ${Math.random()}`,
    });
    assert.equal(created.statusCode, 201, created.body);
    const org = created.json() as { id: string };
    const switched = await call('POST', '/api/v1/auth/switch-org', token, {
      organization_id: org.id,
    });
    assert.equal(switched.statusCode, 200, switched.body);
    return { user, org, token: (switched.json() as { access_token: string }).access_token };
  };

  test('F1: an org admin (any user, own org) is NOT api-keys:admin over every key on the server', async () => {
    // The victim: a global editor with a posts key.
    const victim = await signIn('editor');
    const minted = await call('POST', '/api/v1/api-keys', victim.token, {
      name: 'victim key',
      scopes: ['posts:*'],
    });
    assert.equal(minted.statusCode, 201, minted.body);
    const victimKey = minted.json() as { id: string };

    // The attacker: a brand-new account with no global grant at all.
    const attacker = await orgAdminSession();
    const rotated = await call('POST', `/api/v1/api-keys/${victimKey.id}/rotate`, attacker.token, {
      grace_period_hours: 24,
    });
    if (rotated.statusCode === 201) {
      // Proof of impact: the rotated secret works as the victim against a resource server.
      const api = await postsApi(server);
      const write = await api.inject({
        method: 'POST',
        url: '/v1/posts',
        headers: { authorization: `Bearer ${(rotated.json() as { key: string }).key}` },
      });
      await api.close();
      assert.fail(
        `an org admin rotated another user's key and got its secret (posts:write with it: ${write.statusCode})`,
      );
    }
    assert.equal(rotated.statusCode, 404, rotated.body);
    const listed = await call('GET', '/api/v1/api-keys', attacker.token);
    assert.equal(listed.statusCode, 200, listed.body);
    assert.ok(
      !(listed.json() as Array<{ id: string }>).some((k) => k.id === victimKey.id),
      "an org admin's session lists every user's keys",
    );
  });

  test('F1b: an org admin cannot mint a key owned by another user (impersonation)', async () => {
    const victim = await signIn('editor');
    const attacker = await orgAdminSession();
    const minted = await call('POST', '/api/v1/api-keys', attacker.token, {
      name: 'as the victim',
      scopes: ['profile', 'email', 'organizations:read', 'api-keys:read'],
      user_id: victim.user.id,
    });
    assert.equal(minted.statusCode, 403, `key minted for another user: ${minted.body}`);
  });

  test('F1c: an org admin cannot give their own key a tier above self-service', async () => {
    const attacker = await orgAdminSession();
    const minted = await call('POST', '/api/v1/api-keys', attacker.token, {
      name: 'unlimited',
      scopes: ['profile'],
      tier: 'enterprise',
    });
    assert.equal(minted.statusCode, 403, `enterprise tier self-served: ${minted.body}`);
  });

  test("F2: an org admin cannot read any user's roles by email via DELETE /users/:id/roles/:role", async () => {
    const victim = await signIn('editor');
    const attacker = await orgAdminSession();
    const probe = await call(
      'DELETE',
      `/api/v1/users/${encodeURIComponent(victim.user.email)}/roles/editor?organization_id=${attacker.org.id}`,
      attacker.token,
    );
    assert.equal(
      probe.statusCode,
      403,
      `roles of another user disclosed without roles:read: ${probe.body}`,
    );
  });

  test('F2b: role assignment needs GLOBAL roles:write (an org admin cannot assign roles)', async () => {
    const attacker = await orgAdminSession();
    const assigned = await call('POST', `/api/v1/users/${attacker.user.id}/roles`, attacker.token, {
      role: 'editor',
      organization_id: attacker.org.id,
    });
    assert.equal(assigned.statusCode, 403, assigned.body);
  });

  test('F3: a personal access token minted in an org session is bounded by GLOBAL power (a PAT has no org)', async () => {
    const attacker = await orgAdminSession();
    const created = await call('POST', '/oauth/personal-access-tokens', attacker.token, {
      name: 'admin pat',
      scopes: ['users:write', 'roles:write', 'api-keys:admin'],
    });
    if (created.statusCode === 201) {
      const pat = (created.json() as { access_token: string }).access_token;
      assert.fail(
        `PAT with administrative scopes for a user holding none globally: scope="${String(decodeJwt(pat).scope)}", org=${String(decodeJwt(pat).org)}`,
      );
    }
    assert.equal(created.statusCode, 403, created.body);
  });

  test(
    'F4: disabling a user while their key mints another key leaves no live key (race)',
    { todo: 'open: verifyApiKey does not yet check the owner is live (see the closing note)' },
    async () => {
      const ctx = server.portcullis.ctx;
      const owner = await signIn();
      const minted = await call('POST', '/api/v1/api-keys', owner.token, {
        name: 'key that mints keys',
        scopes: ['api-keys:write', 'profile'],
      });
      assert.equal(minted.statusCode, 201, minted.body);
      const key = (minted.json() as { key: string }).key;

      // Interleaving: the key's request to mint another key lands while disableUser has listed the
      // owner's keys (to revoke them) but not finished.
      const repo = ctx.repos.apiKeys;
      const list = repo.list.bind(repo);
      let second: string | undefined;
      repo.list = async (filter, now) => {
        const listed = await list(filter, now);
        if (second === undefined && filter.userId === owner.user.id) {
          const r = await call('POST', '/api/v1/api-keys', key, {
            name: 'survivor',
            scopes: ['profile'],
          });
          second = r.statusCode === 201 ? (r.json() as { key: string }).key : '';
        }
        return listed;
      };
      try {
        await disableUser(ctx, owner.user.id);
      } finally {
        repo.list = list;
      }
      if (second) {
        const me = await call('GET', '/api/v1/auth/me', second);
        assert.equal(
          me.statusCode,
          401,
          `a disabled user's key still works: ${me.statusCode} ${me.body}`,
        );
      }
    },
  );

  test("F5: a third-party token granted only `openid roles` does not pass requirePermissions for the user's grants", async () => {
    const flow = await obtainCode(server, 'openid roles');
    // The user holds posts:* globally; the app was consented `openid roles` only.
    await assignRole(server.portcullis.ctx, flow.user.id, 'editor');
    const exchanged = await flow.exchange();
    assert.equal(exchanged.statusCode, 200, exchanged.body);
    const token = (exchanged.json() as { access_token: string }).access_token;
    const jwks = (await server.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const guard = createGuard({ issuer: server.url, jwks, algorithms: ['ES256'] });
    const { principal } = await guard.authenticate({ authorization: `Bearer ${token}` });
    assert.deepEqual([...principal.scopes].sort(), ['openid', 'roles']);
    assert.equal(
      principal.can('posts:write'),
      false,
      `a delegated token's permissions claim is the user's full grants: ${JSON.stringify(decodeJwt(token).permissions)}`,
    );
  });

  test(
    'F6: a grant revoked while a grants read is in flight is not cached stale (key power shrinks at once)',
    { todo: 'open: cachedGrants needs a generation counter (see the closing note)' },
    async () => {
      // The database: the user holds posts:* until the revocation.
      let db: UserGrants = { roles: [], permissions: [{ permission: 'posts:*', org: null }] };
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const inner = {
        async grantsOf() {
          const snapshot = db; // read before the revocation commits
          await gate;
          return snapshot;
        },
        async revokePermission() {
          db = { roles: [], permissions: [] };
          return true;
        },
      } as unknown as RbacRepository;
      const clock = new ManualClock(Date.now());
      const repo = cachedGrants(inner, clock, 1000, localCacheBus());
      const inFlight = repo.grantsOf('u1'); // an API-key request reads the owner's grants
      await repo.revokePermission('u1', 'posts:*', null); // the owner loses the grant (evicts)
      release();
      await inFlight;
      const after = await repo.grantsOf('u1'); // the next request with the key
      assert.deepEqual(
        after.permissions,
        [],
        'the stale read was cached after the eviction: the key keeps posts:* for the TTL',
      );
    },
  );
});
