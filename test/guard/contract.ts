import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { CompactSign } from 'jose';
import { REDIS_URL } from '../helpers/dialects.js';
import { rotateSigningKey } from '../../src/runtime/rotate-signing-key.js';
import type { GuardOptions } from '../../src/guard/index.js';
import { startGuardSite, strangerKey, type GuardSite } from './fixture.js';

/** A request whose target is sent byte for byte (fetch would normalise it). */
function rawRequest(base: string, target: string): Promise<{ status: number }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`,
      ),
    );
    let data = '';
    socket.on('data', (chunk) => (data += String(chunk)));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1]) }));
    socket.on('error', reject);
  });
}

/** A running app of one framework, guarded as the contract describes. */
export interface AdapterApp {
  url: string;
  close(): Promise<void>;
}

/**
 * The routes every adapter's test app serves, each guarded with that adapter's own API:
 *   GET  /public                    open
 *   GET  /me                        requireAuth()                 → the principal as JSON
 *   GET  /posts                     requireScopes('posts:read')
 *   POST /posts                     requireScopes('posts:write')
 *   GET  /admin                     requireRoles('admin', 'owner')
 *   GET  /reports                   requirePermissions('reports:read')
 *   GET  /orgs/:orgId/data          requireOrg(the orgId parameter)
 *   GET  /api/v1/protected/thing    no route guard: protect('/api/v1/protected') covers it
 */
export type StartAdapterApp = (options: GuardOptions) => Promise<AdapterApp>;

/** The same behaviour, asserted through real HTTP, for every framework adapter. */
export function guardContract(framework: string, startApp: StartAdapterApp): void {
  describe(`resource-server guard: ${framework}`, () => {
    let site: GuardSite;
    let app: AdapterApp;
    let redis: Redis;
    before(async () => {
      site = await startGuardSite();
      redis = new Redis(REDIS_URL);
      app = await startApp({
        issuer: site.issuer,
        apiKeys: site.server.portcullis.ctx,
        introspection: site.introspection,
        revocation: { redis },
        // Rotation below must not wait out jose's default 30 s between JWKS fetches.
        jwksCooldownSeconds: 0,
      });
    });
    after(async () => {
      await app.close();
      redis.disconnect();
      await site.close();
    });
    const call = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
      fetch(`${app.url}${path}`, { method, headers });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const refused = async (response: Response, status: number, error: string) => {
      const body = (await response.json()) as { error: string; message: string };
      assert.equal(response.status, status, JSON.stringify(body));
      assert.equal(body.error, error);
      assert.equal(typeof body.message, 'string');
      return body;
    };

    test('a valid token from the token endpoint is admitted; the principal is the client', async () => {
      const token = await site.clientToken('posts:read');
      const response = await call('/me', bearer(token));
      assert.equal(response.status, 200);
      const principal = (await response.json()) as Record<string, unknown>;
      assert.equal(principal.kind, 'client');
      assert.deepEqual(principal.scopes, ['posts:read']);
      assert.equal((await call('/posts', bearer(token))).status, 200);
      assert.equal((await call('/public')).status, 200);
    });

    test('no credential: 401 with a bare Bearer challenge', async () => {
      const response = await call('/me');
      await refused(response, 401, 'invalid_token');
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="portcullis"');
    });

    test('expired, wrong audience, wrong issuer, not an access token: 401 invalid_token', async () => {
      const now = Math.floor(Date.now() / 1000);
      const cases = {
        expired: await site.forge(site.claims({ iat: now - 7200, exp: now - 3600 })),
        'wrong audience': await site.forge(site.claims({ aud: 'https://other.example.com' })),
        'wrong issuer': await site.forge(site.claims({ iss: 'https://evil.example.com' })),
        'an id_token (typ JWT)': await site.forge(site.claims(), { typ: 'JWT' }),
        'no jti': await site.forge(site.claims({ jti: undefined })),
      };
      for (const [name, token] of Object.entries(cases)) {
        const response = await call('/me', bearer(token));
        const body = await refused(response, 401, 'invalid_token');
        assert.match(
          response.headers.get('www-authenticate') ?? '',
          /^Bearer realm="portcullis", error="invalid_token"/,
          name,
        );
        assert.doesNotMatch(body.message, /eyJ/, 'the token is never echoed');
      }
      const expired = await call('/me', bearer(cases.expired));
      assert.match(((await expired.json()) as { message: string }).message, /expired/);
    });

    test('alg none, HS256 keyed with the public key, and a stranger key are refused', async () => {
      const stranger = await strangerKey();
      const foreign = await new CompactSign(new TextEncoder().encode(JSON.stringify(site.claims())))
        .setProtectedHeader({
          alg: 'ES256',
          kid: site.server.portcullis.ctx.keys.signing.kid,
          typ: 'at+jwt',
        })
        .sign(stranger.privateKey);
      for (const token of [
        site.unsigned(site.claims()),
        await site.hs256WithPublicKey(site.claims()),
        foreign,
      ]) {
        await refused(await call('/me', bearer(token)), 401, 'invalid_token');
      }
    });

    test('a revoked token is refused at once through the Redis deny-list', async () => {
      const token = await site.clientToken('posts:read');
      assert.equal((await call('/posts', bearer(token))).status, 200);
      await site.revoke(token);
      const body = await refused(await call('/posts', bearer(token)), 401, 'invalid_token');
      assert.match(body.message, /revoked/);
    });

    test('key rotation on the server: old tokens still pass, new ones pass without a restart', async () => {
      const before = await site.clientToken('posts:read');
      assert.equal((await call('/posts', bearer(before))).status, 200);
      await rotateSigningKey(site.server.portcullis);
      const after = await site.clientToken('posts:read');
      assert.notEqual(
        JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid,
        JSON.parse(Buffer.from(before.split('.')[0]!, 'base64url').toString()).kid,
      );
      assert.equal((await call('/posts', bearer(after))).status, 200, 'unknown kid → JWKS refetch');
      assert.equal(
        (await call('/posts', bearer(before))).status,
        200,
        'the retired key still verifies',
      );
    });

    test('API keys in Bearer, Basic and X-API-Key; bad keys 401 with their own codes', async () => {
      const key = await site.apiKey(['posts:read']);
      const basic = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
      for (const headers of [bearer(key), { authorization: basic }, { 'x-api-key': key }]) {
        const response = await call('/posts', headers);
        assert.equal(response.status, 200, JSON.stringify(headers));
        assert.ok(response.headers.get('x-ratelimit-limit'), 'rate-limit headers on key requests');
      }
      const me = (await (await call('/me', bearer(key))).json()) as Record<string, unknown>;
      assert.equal(me.kind, 'api_key');
      await refused(
        await call('/posts', bearer('sk_live_' + '0'.repeat(32))),
        401,
        'invalid_api_key',
      );
      await refused(
        await call('/posts', {
          authorization: `Basic ${Buffer.from(`${key}:pw`).toString('base64')}`,
        }),
        401,
        'invalid_api_key',
      );
    });

    test('scopes: a missing one is 403 insufficient_scope naming it; wildcards count', async () => {
      const reader = await site.clientToken('posts:read');
      const response = await call('/posts', bearer(reader), 'POST');
      const body = await refused(response, 403, 'insufficient_scope');
      assert.equal((body as { required_scope?: string }).required_scope, 'posts:write');
      assert.equal(
        response.headers.get('www-authenticate'),
        'Bearer realm="portcullis", error="insufficient_scope", scope="posts:write"',
      );
      const all = await site.clientToken('posts:*');
      assert.equal((await call('/posts', bearer(all), 'POST')).status, 200);
      const starKey = await site.apiKey(['*:read']);
      assert.equal((await call('/posts', bearer(starKey))).status, 200);
      await refused(await call('/posts', bearer(starKey), 'POST'), 403, 'insufficient_scope');
    });

    test('roles and permissions from the token: any listed role; permissions with wildcards', async () => {
      const editor = await site.userToken('posts:read', {
        roles: ['editor'],
        permissions: ['reports:*'],
      });
      const owner = await site.userToken('posts:read', {
        roles: ['owner'],
        permissions: ['posts:read'],
      });
      await refused(await call('/admin', bearer(editor)), 403, 'insufficient_role');
      assert.equal((await call('/admin', bearer(owner))).status, 200);
      assert.equal(
        (await call('/reports', bearer(editor))).status,
        200,
        'reports:* covers reports:read',
      );
      const body = await refused(
        await call('/reports', bearer(owner)),
        403,
        'insufficient_permission',
      );
      assert.equal((body as { required_permission?: string }).required_permission, 'reports:read');
      const me = (await (await call('/me', bearer(editor))).json()) as Record<string, unknown>;
      assert.equal(me.kind, 'user');
      assert.deepEqual(me.roles, ['editor']);
    });

    test("organizations: a credential acting for another org's resource gets 403", async () => {
      const [orgA, orgB] = [await site.organization(), await site.organization()];
      const member = await site.userToken('posts:read', { org: orgA });
      assert.equal((await call(`/orgs/${orgA}/data`, bearer(member))).status, 200);
      await refused(await call(`/orgs/${orgB}/data`, bearer(member)), 403, 'wrong_organization');
      const key = await site.apiKey(['posts:read'], orgB);
      assert.equal((await call(`/orgs/${orgB}/data`, bearer(key))).status, 200);
      await refused(await call(`/orgs/${orgA}/data`, bearer(key)), 403, 'wrong_organization');
    });

    test('prefix protection covers the prefix and below, also percent-encoded, not look-alikes', async () => {
      for (const target of [
        '/api/v1/protected/thing',
        '/api/v1/%70rotected/thing',
        '/API/V1/PROTECTED/thing',
        '/api/v1/Protected/thing',
        '/api/v1//protected/thing',
        `${app.url}/api/v1/protected/thing`,
      ]) {
        const { status } = await rawRequest(app.url, target);
        assert.notEqual(status, 200, `${target} reached the handler without a credential`);
      }
      await refused(await call('/api/v1/protected/thing'), 401, 'invalid_token');
      await refused(await call('/api/v1/%70rotected/thing'), 401, 'invalid_token');
      const token = await site.clientToken('posts:read');
      assert.equal((await call('/api/v1/protected/thing', bearer(token))).status, 200);
      assert.equal((await call('/public')).status, 200);
    });
  });
}
