import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { adminToken, bearer, userManagerToken } from './helpers.js';
import { createOrganization } from '../../src/core/rbac/manage-organizations.js';
import { createRole } from '../../src/core/rbac/manage-roles.js';
import { assignRole } from '../../src/core/rbac/manage-grants.js';

describe('/api/v1/api-keys: who may manage which keys', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await createRole(server.portcullis.ctx, { name: 'reader', permissions: ['posts:read'] });
  });
  after(() => server.close());

  const request = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    token?: string,
    payload?: object,
  ) =>
    server.app.inject({
      method,
      url,
      ...(token ? { headers: bearer(token) } : {}),
      ...(payload ? { payload } : {}),
    });

  test("a user manages their own keys; another user's keys do not exist for them", async () => {
    const ada = await userManagerToken(server);
    const bob = await userManagerToken(server);
    const ctx = server.portcullis.ctx;
    const org = await createOrganization(ctx, { name: `Ada's team ${Date.now()}` });
    const body = {
      name: 'CI',
      scopes: ['posts:read'],
      environment: 'test',
      metadata: { ci: 'github' },
      organization_id: org.slug,
    };
    const beyond = await request('POST', '/api/v1/api-keys', ada.token, body);
    assert.equal(beyond.statusCode, 403, 'a key holds only what its owner holds');
    assert.equal(beyond.json().error, 'insufficient_scope');
    await assignRole(ctx, ada.userId, 'reader');
    const notMember = await request('POST', '/api/v1/api-keys', ada.token, body);
    assert.equal(
      notMember.statusCode,
      400,
      'a key of a user belongs to one of their organizations',
    );
    const unknown = await request('POST', '/api/v1/api-keys', ada.token, {
      ...body,
      organization_id: 'no-such-org',
    });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().message, /does not exist/);
    await ctx.repos.organizations.addMember(org.id, ada.userId, ctx.clock.now());
    const created = await request('POST', '/api/v1/api-keys', ada.token, body);
    assert.equal(created.statusCode, 201, created.body);
    const key = created.json();
    assert.equal(key.organization_id, org.id, 'stored by id, named by slug');
    assert.equal(key.user_id, ada.userId);
    assert.equal(key.environment, 'test');
    assert.equal(key.status, 'active');
    assert.deepEqual(Object.keys(key).sort(), [
      'created_at',
      'environment',
      'expires_at',
      'grace_until',
      'id',
      'key',
      'last_used_at',
      'metadata',
      'name',
      'organization_id',
      'prefix',
      'replaced_by',
      'revoked_at',
      'rotated_at',
      'scopes',
      'status',
      'tier',
      'updated_at',
      'user_id',
    ]);

    const listed = (await request('GET', '/api/v1/api-keys', ada.token)).json();
    assert.deepEqual(
      listed.map((k: { id: string }) => k.id),
      [key.id],
    );
    assert.equal(listed[0].key, undefined, 'the key is shown once, at creation');
    assert.deepEqual((await request('GET', '/api/v1/api-keys', bob.token)).json(), []);
    for (const [method, url] of [
      ['GET', `/api/v1/api-keys/${key.id}`],
      ['PATCH', `/api/v1/api-keys/${key.id}`],
      ['POST', `/api/v1/api-keys/${key.id}/rotate`],
      ['POST', `/api/v1/api-keys/${key.id}/revoke`],
      ['DELETE', `/api/v1/api-keys/${key.id}`],
      ['GET', `/api/v1/api-keys/${key.id}/usage`],
    ] as const) {
      const response = await request(
        method,
        url,
        bob.token,
        method === 'PATCH' ? { name: 'mine' } : undefined,
      );
      assert.equal(response.statusCode, 404, `${method} ${url}`);
      assert.deepEqual(response.json(), {
        error: 'not_found',
        message: `API key ${key.id} not found`,
      });
    }
    const upgraded = await request('PATCH', `/api/v1/api-keys/${key.id}`, ada.token, {
      tier: 'pro',
    });
    assert.equal(
      upgraded.statusCode,
      403,
      'a tier above apiKeys.maxSelfServiceTier needs an admin',
    );
    const renamed = await request('PATCH', `/api/v1/api-keys/${key.id}`, ada.token, {
      name: 'CI keys',
    });
    assert.equal(renamed.statusCode, 200);
    const admin = await adminToken(server);
    const tiered = await request('PATCH', `/api/v1/api-keys/${key.id}`, admin, { tier: 'pro' });
    assert.equal(tiered.statusCode, 200, tiered.body);
    assert.deepEqual([tiered.json().name, tiered.json().tier], ['CI keys', 'pro']);
    const forged = await request('POST', '/api/v1/api-keys', ada.token, {
      name: 'for bob',
      scopes: [],
      user_id: bob.userId,
    });
    assert.equal(forged.statusCode, 403, 'only api-keys:admin names another owner');
  });

  test('a client-credentials token administers every key; scopes are required', async () => {
    const ada = await userManagerToken(server);
    const { id } = (
      await request('POST', '/api/v1/api-keys', ada.token, { name: 'k', scopes: [] })
    ).json();
    const admin = await adminToken(server);
    assert.ok(
      (await request('GET', '/api/v1/api-keys', admin))
        .json()
        .some((k: { id: string }) => k.id === id),
    );
    assert.equal((await request('GET', `/api/v1/api-keys/${id}`, admin)).statusCode, 200);

    const readOnly = await adminToken(server, 'api-keys:read');
    const refused = await request('POST', `/api/v1/api-keys/${id}/revoke`, readOnly);
    assert.equal(refused.statusCode, 403);
    assert.deepEqual(refused.json(), {
      error: 'insufficient_scope',
      message: 'this needs the permission api-keys:write',
    });
    const anonymous = await request('GET', '/api/v1/api-keys');
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.headers['www-authenticate'], 'Bearer realm="portcullis"');
    const wildcard = await request('POST', '/api/v1/api-keys', admin, {
      name: 'k2',
      scopes: ['*'],
    });
    assert.equal(wildcard.statusCode, 403, 'a service gives no scope beyond its own');
    const apiKey = (
      await request('POST', '/api/v1/api-keys', admin, { name: 'k2', scopes: [] })
    ).json().key;
    assert.equal(
      (await request('GET', '/api/v1/api-keys', apiKey)).statusCode,
      403,
      'an API key without api-keys:read does not manage API keys',
    );
  });

  test('bad input: 400 with a message; malformed id 400; unknown id 404', async () => {
    const admin = await adminToken(server);
    const cases: Array<[object, RegExp]> = [
      [{ name: '', scopes: [] }, /name/],
      [{ name: 'x', scopes: ['bad scope'] }, /"bad scope" is not a scope/],
      [{ name: 'x', scopes: [], tier: 'gold' }, /unknown tier "gold"/],
      [{ name: 'x', scopes: [], environment: 'prod' }, /environment/],
      [
        { name: 'x', scopes: [], metadata: { big: 'x'.repeat(5000) } },
        /metadata must be at most 4096 bytes/,
      ],
      [{ name: 'x' }, /scopes/],
    ];
    for (const [payload, message] of cases) {
      const response = await request('POST', '/api/v1/api-keys', admin, payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(response.json().error, 'invalid_request');
      assert.match(response.json().message, message);
    }
    const malformed = await request('GET', '/api/v1/api-keys/42', admin);
    assert.equal(malformed.statusCode, 400);
    assert.equal(
      (await request('GET', '/api/v1/api-keys/01J00000000000000000000000', admin)).statusCode,
      404,
    );
  });

  test('GET /api/v1/api-keys/self answers to the key itself, with its rate-limit headers', async () => {
    const admin = await adminToken(server);
    const { key, id } = (
      await request('POST', '/api/v1/api-keys', admin, { name: 'me', scopes: [] })
    ).json();
    const self = await server.app.inject({
      method: 'GET',
      url: '/api/v1/api-keys/self',
      headers: { 'x-api-key': key },
    });
    assert.equal(self.statusCode, 200);
    assert.equal(self.json().id, id);
    assert.equal(self.headers['x-ratelimit-limit'], '1000');
    assert.equal(self.headers['x-ratelimit-remaining'], '999');
  });
});
