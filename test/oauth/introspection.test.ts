import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, UnsecuredJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { basic, postForm } from '../helpers/oauth-inject.js';
import { obtainCode } from '../helpers/code-flow.js';

describe('POST /oauth/introspect and /oauth/revoke', () => {
  let server: TestServer;
  let caller: { id: string; secret: string };
  before(async () => {
    server = await startTestServer();
    const created = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:*', 'email'],
    });
    caller = { id: created.client.id, secret: created.secret! };
  });
  after(() => server.close());

  const introspect = async (token: string, auth = basic(caller.id, caller.secret)) => {
    const response = await postForm(
      server.app,
      '/oauth/introspect',
      { token },
      { authorization: auth },
    );
    return { status: response.statusCode, body: response.json(), headers: response.headers };
  };
  const issue = async () => {
    const response = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'client_credentials', scope: 'users:read' },
      { authorization: basic(caller.id, caller.secret) },
    );
    return response.json().access_token as string;
  };

  test('an active token shows its claims; the response is no-store', async () => {
    const token = await issue();
    const { status, body, headers } = await introspect(token);
    assert.equal(status, 200);
    assert.equal(headers['cache-control'], 'no-store');
    assert.equal(body.active, true);
    assert.equal(body.scope, 'users:read');
    assert.equal(body.client_id, caller.id);
    assert.equal(body.iss, server.url);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(typeof body.exp, 'number');
  });

  test('the access token is an RFC 9068 JWT', async () => {
    const token = await issue();
    const header = decodeProtectedHeader(token);
    const claims = decodeJwt(token);
    assert.equal(header.typ, 'at+jwt');
    assert.equal(header.alg, 'ES256');
    assert.ok(header.kid);
    for (const claim of ['iss', 'sub', 'aud', 'client_id', 'scope', 'jti', 'iat', 'exp'])
      assert.ok(claim in claims, claim);
    assert.equal(claims.exp! - claims.iat!, 3600, 'OAUTH2_ACCESS_TOKEN_EXPIRE_MINUTES default 60');
  });

  test('introspection requires client authentication', async () => {
    const token = await issue();
    const anonymous = await postForm(server.app, '/oauth/introspect', { token });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().error, 'invalid_client');
    assert.equal((await introspect(token, basic(caller.id, 'wrong'))).status, 401);
  });

  test('unknown, garbage and expired tokens are {active:false} with no reason', async () => {
    const token = await issue();
    for (const junk of ['nope', 'a.b.c', '', 'x'.repeat(5000)]) {
      const { status, body } = await introspect(junk || 'x');
      assert.equal(status, 200);
      assert.deepEqual(body, { active: false });
    }
    server.clock.advance(3601_000);
    assert.deepEqual((await introspect(token)).body, { active: false });
    server.clock.advance(-3601_000);
  });

  test('a token with alg none is inactive', async () => {
    const real = decodeJwt(await issue());
    const { kid } = decodeProtectedHeader(await issue());
    const unsigned = new UnsecuredJWT({ ...real }).encode();
    assert.deepEqual((await introspect(unsigned)).body, { active: false });
    // The same with our kid and typ in the header and a junk signature.
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid, typ: 'at+jwt' })).toString(
      'base64url',
    );
    const payload = Buffer.from(JSON.stringify(real)).toString('base64url');
    assert.deepEqual((await introspect(`${header}.${payload}.c2ln`)).body, { active: false });
  });

  test('a token signed HS256 with the public key as secret is inactive', async () => {
    const genuine = await issue();
    const real = decodeJwt(genuine);
    const { kid } = decodeProtectedHeader(genuine);
    const publicPem = readFileSync(join(server.storageDir, 'oauth2', 'oauth-public.key'));
    const forged = await new SignJWT({ ...real })
      .setProtectedHeader({ alg: 'HS256', kid: kid!, typ: 'at+jwt' })
      .sign(new Uint8Array(publicPem));
    assert.deepEqual((await introspect(forged)).body, { active: false });
  });

  test('a token signed by another key under our kid is inactive', async () => {
    const genuine = await issue();
    const { kid } = decodeProtectedHeader(genuine);
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ ...decodeJwt(genuine) })
      .setProtectedHeader({ alg: 'ES256', kid: kid!, typ: 'at+jwt' })
      .sign(privateKey);
    assert.deepEqual((await introspect(forged)).body, { active: false });
  });

  test('an id_token is not accepted as an access token', async () => {
    const flow = await obtainCode(server);
    const tokens = (await flow.exchange()).json();
    assert.deepEqual((await introspect(tokens.id_token)).body, { active: false });
  });

  test('revocation answers 200 for unknown tokens and revokes the caller’s own tokens', async () => {
    const token = await issue();
    const unknown = await postForm(
      server.app,
      '/oauth/revoke',
      { token: 'never-issued' },
      { authorization: basic(caller.id, caller.secret) },
    );
    assert.equal(unknown.statusCode, 200);
    const revoked = await postForm(
      server.app,
      '/oauth/revoke',
      { token },
      { authorization: basic(caller.id, caller.secret) },
    );
    assert.equal(revoked.statusCode, 200);
    assert.deepEqual((await introspect(token)).body, { active: false });
  });

  test('a client cannot revoke another client’s token', async () => {
    const token = await issue();
    const other = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:*', 'email'],
    });
    const response = await postForm(
      server.app,
      '/oauth/revoke',
      { token },
      { authorization: basic(other.client.id, other.secret!) },
    );
    assert.equal(response.statusCode, 200);
    assert.equal((await introspect(token)).body.active, true);
  });
});
