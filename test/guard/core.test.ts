import { after, before, describe, test } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { REDIS_URL } from '../helpers/dialects.js';
import { generateSigningKey } from '../../src/core/keys/signing-key-material.js';
import { newId } from '../../src/core/ids.js';
import { REVOCATION_MARGIN_MS, revokedJtiKey } from '../../src/core/tokens/revocation-list.js';
import { revokeApiKey } from '../../src/core/apikeys/manage-api-key.js';
import { digest } from '../../src/core/secrets.js';
import { createGuard, GuardError, type GuardOptions } from '../../src/guard/index.js';
import { startGuardSite, type GuardSite } from './fixture.js';

const ISSUER = 'https://auth.example.com';

async function signer(alg: 'RS256' | 'ES256' | 'EdDSA') {
  const key = await generateSigningKey(alg);
  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg, kid: key.kid, typ: 'at+jwt', ...header })
      .sign(key.privateKey);
  return { key, sign };
}

const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: ISSUER,
  sub: 'user-1',
  client_id: 'client-1',
  scope: 'posts:read posts:write',
  jti: newId(),
  iat: now(),
  exp: now() + 600,
  roles: ['editor'],
  permissions: ['posts:*'],
  org: 'org_1',
  ...overrides,
});
const authenticate = (options: GuardOptions, token: string) =>
  createGuard(options).authenticate({ authorization: `Bearer ${token}` });

describe('createGuard without a server: keys, algorithms, clock', () => {
  test('a PEM public key, a JWK or a local key set verify RS256, ES256 and EdDSA tokens', async () => {
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      const { key, sign } = await signer(alg);
      const token = await sign(claims());
      for (const options of [
        { issuer: ISSUER, publicKey: key.publicPem, algorithms: [alg] },
        { issuer: ISSUER, publicKey: { ...key.publicJwk, alg } },
        { issuer: ISSUER, jwks: { keys: [{ ...key.publicJwk, kid: key.kid, alg }] } },
      ]) {
        const { principal } = await authenticate(options, token);
        assert.equal(principal.kind, 'user', alg);
        assert.equal(principal.sub, 'user-1');
        assert.equal(principal.org, 'org_1');
        assert.deepEqual(principal.scopes, ['posts:read', 'posts:write']);
        assert.ok(principal.tokenCan('posts:write'));
        assert.ok(!principal.tokenCan('posts:delete'));
        assert.ok(principal.can('posts:delete'), 'posts:* covers every posts action');
        assert.ok(principal.hasRole('editor'));
        assert.ok(!principal.hasRole('admin'));
      }
    }
  });

  test('algorithms are pinned: an allowed list without the token’s algorithm refuses it', async () => {
    const { key, sign } = await signer('ES256');
    const jwks = { keys: [{ ...key.publicJwk, kid: key.kid, alg: 'ES256' }] };
    await assert.rejects(
      authenticate({ issuer: ISSUER, jwks, algorithms: ['RS256'] }, await sign(claims())),
      (error: GuardError) => error.code === 'invalid_token' && /algorithm/.test(error.message),
    );
  });

  test('symmetric and none algorithms are refused when the guard is made', () => {
    for (const alg of ['HS256', 'none']) {
      assert.throws(
        () => createGuard({ issuer: ISSUER, algorithms: [alg] }),
        /not an algorithm for public-key tokens/,
      );
    }
    assert.throws(() => createGuard({ issuer: '' }), /issuer/);
    assert.throws(
      () => createGuard({ issuer: ISSUER, clockTolerance: 3600 }),
      /clockTolerance is 0 to 60 seconds/,
    );
  });

  test('a bad key is a setup error thrown by createGuard, not a 401 on every request', async () => {
    const { key } = await signer('ES256');
    const pem = '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----';
    assert.throws(() => createGuard({ issuer: ISSUER, publicKey: pem, algorithms: ['ES256'] }));
    assert.throws(
      () => createGuard({ issuer: ISSUER, publicKey: key.publicPem }),
      /exactly one entry in `algorithms`/,
    );
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    assert.throws(() => createGuard({ issuer: ISSUER, publicKey: jwk }), /private key/);
  });

  test('exp and nbf within the clock tolerance pass; beyond it they fail', async () => {
    const { key, sign } = await signer('ES256');
    const options = { issuer: ISSUER, publicKey: key.publicJwk, clockTolerance: 30 };
    await authenticate(options, await sign(claims({ exp: now() - 10 })));
    await authenticate(options, await sign(claims({ nbf: now() + 10 })));
    for (const token of [
      await sign(claims({ exp: now() - 60 })),
      await sign(claims({ nbf: now() + 60 })),
    ]) {
      await assert.rejects(authenticate(options, token), GuardError);
    }
  });

  test('a verified token is remembered, but never past its exp', async () => {
    const { key, sign } = await signer('ES256');
    const guard = createGuard({ issuer: ISSUER, publicKey: key.publicJwk, clockTolerance: 0 });
    const token = await sign(claims({ exp: now() + 1 }));
    const first = await guard.authenticate({ authorization: `Bearer ${token}` });
    const second = await guard.authenticate({ authorization: `Bearer ${token}` });
    assert.equal(second.principal, first.principal, 'the second request skipped verification');
    assert.ok(Object.isFrozen(first.principal.claims), 'shared claims cannot be changed');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await assert.rejects(
      guard.authenticate({ authorization: `Bearer ${token}` }),
      (error: GuardError) => /expired/.test(error.message),
    );
  });

  test('audience: a configured list accepts any member and nothing else', async () => {
    const { key, sign } = await signer('ES256');
    const options = { issuer: ISSUER, publicKey: key.publicJwk, audience: ['api-a', 'api-b'] };
    await authenticate(options, await sign(claims({ aud: 'api-b' })));
    await assert.rejects(
      authenticate(options, await sign(claims({ aud: ISSUER }))),
      (error: GuardError) => /aud/.test(error.message),
    );
  });

  test('a client-credentials token is a client principal; API keys are refused unless enabled', async () => {
    const { key, sign } = await signer('ES256');
    const options = { issuer: ISSUER, publicKey: key.publicJwk };
    const token = await sign(claims({ sub: 'client-1', roles: undefined, org: undefined }));
    const { principal } = await authenticate(options, token);
    assert.equal(principal.kind, 'client');
    assert.equal(principal.clientId, 'client-1');
    assert.equal(principal.org, null);
    await assert.rejects(
      authenticate(options, 'sk_live_' + 'a'.repeat(32)),
      (error: GuardError) => error.code === 'invalid_api_key' && error.status === 401,
    );
  });

  test('GuardError: status, challenge and JSON body', () => {
    const error = new GuardError('insufficient_scope', 'the token lacks the scope posts:write', {
      requiredScope: 'posts:write',
    });
    assert.equal(error.status, 403);
    assert.deepEqual(error.toJSON(), {
      error: 'insufficient_scope',
      message: 'the token lacks the scope posts:write',
      required_scope: 'posts:write',
    });
    assert.deepEqual(JSON.parse(JSON.stringify(error)), error.toJSON());
    assert.equal(
      error.headers()['www-authenticate'],
      'Bearer realm="portcullis", error="insufficient_scope", scope="posts:write"',
    );
  });
});

test('introspection: junk never reaches the server, and unknown keys do not evict known ones', async () => {
  const good = 'sk_live_' + 'G'.repeat(32);
  let calls = 0;
  const stub = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += String(chunk)));
    request.on('end', () => {
      calls += 1;
      const token = new URLSearchParams(body).get('token');
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify(
          token === good
            ? { active: true, token_type: 'api_key', scope: 'posts:read', sub: 'k1', iat: now() }
            : { active: false },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  const { port } = stub.address() as AddressInfo;
  try {
    const guard = createGuard({
      issuer: ISSUER,
      apiKeys: 'introspection',
      introspection: {
        endpoint: `http://127.0.0.1:${port}/introspect`,
        clientId: 'rs',
        clientSecret: 'secret',
        cacheSize: 2,
      },
    });
    for (const junk of ['junk', 'x'.repeat(300), 'sk_live_short'])
      await assert.rejects(guard.authenticate({ apiKey: junk }), GuardError);
    assert.equal(calls, 0, 'malformed keys are refused without asking');
    await guard.authenticate({ apiKey: good });
    for (const unknown of ['A', 'B', 'C'])
      await assert.rejects(guard.authenticate({ apiKey: `sk_live_${unknown.repeat(32)}` }));
    const before = calls;
    await guard.authenticate({ apiKey: good });
    assert.equal(calls, before, 'the known key is still cached');
  } finally {
    stub.close();
  }
});

describe('createGuard against a running server: introspection and the deny-list', () => {
  let site: GuardSite;
  let redis: Redis;
  before(async () => {
    site = await startGuardSite();
    redis = new Redis(REDIS_URL);
  });
  after(async () => {
    redis.disconnect();
    await site.close();
  });

  test('API keys through the server’s introspection: admitted with their scopes and org', async () => {
    const guard = createGuard({
      issuer: site.issuer,
      apiKeys: 'introspection',
      introspection: { ...site.introspection, cacheSeconds: 0 },
    });
    const org = await site.organization();
    const key = await site.apiKey(['posts:read'], org);
    const { principal } = await guard.authenticate({ authorization: `Bearer ${key}` });
    assert.equal(principal.kind, 'api_key');
    assert.equal(principal.org, org);
    assert.ok(principal.tokenCan('posts:read'));
    await assert.rejects(
      guard.authenticate({ apiKey: 'sk_live_' + 'b'.repeat(32) }),
      (error: GuardError) => error.code === 'invalid_api_key',
    );
  });

  test('in-process API keys count against their tier: 429 with Retry-After and X-RateLimit-*', async () => {
    const ctx = site.server.portcullis.ctx;
    const guard = createGuard({ issuer: site.issuer, apiKeys: ctx });
    const key = await site.apiKey(['posts:read']);
    const limit = ctx.config.apiKeys.tiers.free!.requests!;
    let last: Record<string, string> = {};
    for (let i = 0; i < limit; i++) ({ headers: last } = await guard.authenticate({ apiKey: key }));
    assert.equal(last['x-ratelimit-limit'], String(limit));
    assert.equal(last['x-ratelimit-remaining'], '0');
    await assert.rejects(guard.authenticate({ apiKey: key }), (error: GuardError) => {
      assert.equal(error.status, 429);
      assert.equal(error.code, 'rate_limit_exceeded');
      const headers = error.headers();
      assert.ok(Number(headers['retry-after']) > 0);
      assert.equal(headers['x-ratelimit-remaining'], '0');
      return true;
    });
  });

  test('introspection answers are cached for cacheSeconds, then asked again', async () => {
    const cached = createGuard({
      issuer: site.issuer,
      apiKeys: 'introspection',
      introspection: { ...site.introspection, cacheSeconds: 60 },
    });
    const fresh = createGuard({
      issuer: site.issuer,
      apiKeys: 'introspection',
      introspection: { ...site.introspection, cacheSeconds: 0 },
    });
    const key = await site.apiKey(['posts:read']);
    const presented = { authorization: `Bearer ${key}` };
    await cached.authenticate(presented);
    const ctx = site.server.portcullis.ctx;
    const stored = await ctx.repos.apiKeys.findByDigest(digest(key));
    await revokeApiKey(ctx, stored!.id);
    await cached.authenticate(presented);
    await assert.rejects(fresh.authenticate(presented), GuardError);
  });

  test('a refresh token is not an access token, even when introspection calls it active', async () => {
    const guard = createGuard({ issuer: site.issuer, introspection: site.introspection });
    const { refresh_token } = await site.userTokens('posts:read', {});
    await assert.rejects(
      guard.authenticate({ authorization: `Bearer ${refresh_token}` }),
      (error: GuardError) => error.code === 'invalid_token',
    );
  });

  test('revoking a refresh token puts its family’s access tokens on the deny-list until they expire', async () => {
    const { access_token, refresh_token } = await site.userTokens('posts:read', {});
    const guard = createGuard({ issuer: site.issuer, revocation: { redis } });
    await guard.authenticate({ authorization: `Bearer ${access_token}` });
    await site.revoke(refresh_token, 'password');
    await assert.rejects(
      guard.authenticate({ authorization: `Bearer ${access_token}` }),
      (error: GuardError) => /revoked/.test(error.message),
    );
    const { jti, exp } = JSON.parse(
      Buffer.from(access_token.split('.')[1]!, 'base64url').toString(),
    );
    const ttl = await redis.pttl(revokedJtiKey(jti));
    const untilExp = exp * 1000 - site.server.clock.now();
    assert.ok(ttl > untilExp && ttl <= untilExp + REVOCATION_MARGIN_MS, `ttl ${ttl}`);
  });
});
