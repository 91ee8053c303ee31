import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import { adminToken, bearer, postsApi } from './helpers.js';
import { createApiKey } from '../../src/core/apikeys/create-api-key.js';

for (const dialect of await testDialects()) {
  describe(`API keys authenticate requests (${dialect})`, () => {
    let server: TestServer;
    let api: FastifyInstance;
    before(async () => {
      server = await startTestServer({ dialect });
      api = await postsApi(server);
    });
    /** A fresh administrator token: tests move the clock past a token's life. */
    const asAdmin = async () => bearer(await adminToken(server));
    after(async () => {
      await api.close();
      await server.close();
    });

    // Keys minted by the operator (no caller to bound their scopes): these tests are about
    // authenticating with a key; who may mint which key is api-keys.rest.test.ts's subject.
    const createKey = async (body: {
      scopes: string[];
      expires_at?: string;
      tier?: string;
      metadata?: Record<string, unknown>;
    }) => {
      const { key, apiKey } = await createApiKey(server.portcullis.ctx, {
        name: 'Mobile App Production',
        scopes: body.scopes,
        ...(body.expires_at ? { expiresAt: Date.parse(body.expires_at) } : {}),
        ...(body.tier ? { tier: body.tier } : {}),
        ...(body.metadata ? { metadata: body.metadata } : {}),
      });
      return { id: apiKey.id, key, prefix: apiKey.displayPrefix, status: 'active' };
    };
    const get = (url: string, headers: Record<string, string>) =>
      api.inject({ method: 'GET', url, headers });

    test('the seed: a valid key is admitted, an invalid one 401, a missing scope 403', async () => {
      const { key, id, prefix } = await createKey({ scopes: ['posts:read', 'categories:read'] });
      assert.match(key, /^sk_live_[0-9A-Za-z]{32}$/);
      assert.equal(prefix, key.slice(0, 'sk_live_'.length + 4));

      const ok = await get('/v1/posts', { authorization: `Bearer ${key}` });
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { posts: [], key: id, can_write: false });

      const invalid = await get('/v1/posts', { authorization: 'Bearer invalid_key' });
      assert.equal(invalid.statusCode, 401);
      assert.deepEqual(invalid.json(), {
        error: 'invalid_api_key',
        message: 'the API key is not valid',
      });
      assert.match(
        invalid.headers['www-authenticate'] as string,
        /^Bearer realm="portcullis", error="invalid_token"/,
      );

      const forbidden = await api.inject({
        method: 'POST',
        url: '/v1/posts',
        headers: { authorization: `Bearer ${key}` },
        payload: { title: 'Test' },
      });
      assert.equal(forbidden.statusCode, 403);
      assert.deepEqual(forbidden.json(), {
        error: 'insufficient_scope',
        message: 'this API key lacks the scope posts:write',
        required_scope: 'posts:write',
      });
      assert.equal(
        forbidden.headers['www-authenticate'],
        'Bearer realm="portcullis", error="insufficient_scope", scope="posts:write"',
      );
    });

    test('the key is accepted as Bearer, as Basic user name with an empty password, and as X-API-Key', async () => {
      const { key } = await createKey({ scopes: ['posts:read'] });
      const basic = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;
      assert.equal((await get('/v1/posts', { authorization: basic(`${key}:`) })).statusCode, 200);
      assert.equal((await get('/v1/posts', { 'x-api-key': key })).statusCode, 200);
      assert.equal(
        (await get('/v1/posts', { authorization: basic(`${key}:secret`) })).statusCode,
        401,
      );
      const missing = await get('/v1/posts', {});
      assert.equal(missing.statusCode, 401);
      assert.equal(missing.headers['www-authenticate'], 'Bearer realm="portcullis"');
      assert.equal(missing.json().error, 'invalid_api_key');
    });

    test('the Bearer scheme is case-insensitive and tolerates spacing; anything else is no key', async () => {
      const { key } = await createKey({ scopes: ['posts:read'] });
      for (const authorization of [
        `bearer ${key}`,
        `BEARER  ${key}`,
        `Bearer\t${key}`,
        `Bearer ${key}  `,
      ]) {
        const response = await get('/v1/posts', { authorization });
        assert.equal(response.statusCode, 200, JSON.stringify(authorization));
      }
      for (const authorization of [
        `Bearer${key}`,
        `Bearer ${key} extra`,
        'Bearer ',
        `Token ${key}`,
      ]) {
        const response = await get('/v1/posts', { authorization });
        assert.equal(response.statusCode, 401, JSON.stringify(authorization));
        assert.equal(response.json().error, 'invalid_api_key');
      }
    });

    test('unknown, wrong and malformed keys get the same answer', async () => {
      const { key } = await createKey({ scopes: ['posts:read'] });
      const wrong = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
      const bodies = await Promise.all(
        [
          wrong,
          'sk_live_' + '0'.repeat(32),
          'sk_prod_' + '0'.repeat(32),
          'sk_live_short',
          'x'.repeat(500),
        ].map(async (value) => {
          const response = await get('/v1/posts', { authorization: `Bearer ${value}` });
          return [response.statusCode, response.body];
        }),
      );
      for (const body of bodies) assert.deepEqual(body, bodies[0]);
      assert.equal(bodies[0]![0], 401);
    });

    test('wildcard scopes: posts:*, *:read and * against each route', async () => {
      const routes: Array<[string, string]> = [
        ['GET', '/v1/posts'],
        ['POST', '/v1/posts'],
        ['DELETE', '/v1/posts/1'],
        ['GET', '/v1/categories'],
      ];
      const matrix: Record<string, number[]> = {
        'posts:*': [200, 201, 200, 403],
        '*:read': [200, 403, 403, 200],
        '*': [200, 201, 200, 200],
        'posts:read': [200, 403, 403, 403],
        'categories:*': [403, 403, 403, 200],
      };
      for (const [scope, expected] of Object.entries(matrix)) {
        const { key } = await createKey({ scopes: [scope] });
        const statuses = [];
        for (const [method, url] of routes) {
          statuses.push(
            (
              await api.inject({
                method: method as 'GET',
                url,
                headers: { authorization: `Bearer ${key}` },
              })
            ).statusCode,
          );
        }
        assert.deepEqual(statuses, expected, scope);
      }
    });

    test('expiry: a key works until expires_at, then gets api_key_expired', async () => {
      const expiresAt = new Date(server.clock.now() + 3_600_000).toISOString();
      const { key } = await createKey({ scopes: ['posts:read'], expires_at: expiresAt });
      assert.equal((await get('/v1/posts', { authorization: `Bearer ${key}` })).statusCode, 200);
      server.clock.advance(3_600_000);
      const expired = await get('/v1/posts', { authorization: `Bearer ${key}` });
      assert.equal(expired.statusCode, 401);
      assert.equal(expired.json().error, 'api_key_expired');
      const past = await server.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: await asAdmin(),
        payload: {
          name: 'x',
          scopes: [],
          expires_at: new Date(server.clock.now() - 1000).toISOString(),
        },
      });
      assert.equal(past.statusCode, 400);
      assert.deepEqual(past.json(), {
        error: 'invalid_request',
        message: 'expires_at must be in the future',
      });
    });

    test('revocation is refused at once (the cache is evicted) with api_key_revoked', async () => {
      const { key, id } = await createKey({ scopes: ['posts:read'] });
      assert.equal((await get('/v1/posts', { authorization: `Bearer ${key}` })).statusCode, 200);
      const revoked = await server.app.inject({
        method: 'POST',
        url: `/api/v1/api-keys/${id}/revoke`,
        headers: await asAdmin(),
      });
      assert.equal(revoked.statusCode, 200);
      assert.equal(revoked.json().status, 'revoked');
      const refused = await get('/v1/posts', { authorization: `Bearer ${key}` });
      assert.equal(refused.statusCode, 401);
      assert.deepEqual(refused.json(), {
        error: 'api_key_revoked',
        message: 'the API key has been revoked',
      });
    });

    test('rotation: both keys work during the grace period, then only the new one; a rotated key cannot rotate', async () => {
      const { key: oldKey, id } = await createKey({
        scopes: ['posts:read'],
        tier: 'pro',
        metadata: { team: 'ios' },
      });
      const rotate = async (keyId: string, payload?: object) =>
        server.app.inject({
          method: 'POST',
          url: `/api/v1/api-keys/${keyId}/rotate`,
          headers: await asAdmin(),
          ...(payload ? { payload } : {}),
        });
      const response = await rotate(id, { grace_period_hours: 24 });
      assert.equal(response.statusCode, 201, response.body);
      const rotated = response.json();
      assert.notEqual(rotated.key, oldKey);
      assert.deepEqual(
        [rotated.scopes, rotated.tier, rotated.metadata, rotated.name],
        [['posts:read'], 'pro', { team: 'ios' }, 'Mobile App Production'],
      );
      assert.equal(rotated.previous.status, 'rotating');
      assert.equal(rotated.previous.replaced_by, rotated.id);

      for (const key of [oldKey, rotated.key])
        assert.equal((await get('/v1/posts', { authorization: `Bearer ${key}` })).statusCode, 200);
      const again = await rotate(id);
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error, 'conflict');

      server.clock.advance(24 * 3_600_000);
      const old = await get('/v1/posts', { authorization: `Bearer ${oldKey}` });
      assert.equal(old.statusCode, 401);
      assert.equal(old.json().error, 'api_key_expired');
      assert.equal(
        (await get('/v1/posts', { authorization: `Bearer ${rotated.key}` })).statusCode,
        200,
      );
    });
  });
}
