import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsecuredJWT } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import { basic, postForm } from '../helpers/oauth-inject.js';
import { obtainCode } from '../helpers/code-flow.js';

// PostgreSQL text cannot hold NUL: input that reaches a query with one must be refused first,
// as a clean 4xx, on either engine.
for (const dialect of await testDialects()) {
  describe(`malformed input is a clean 4xx, never a 500 (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ dialect });
    });
    after(() => server.close());

    test('a NUL character in a form field, a Basic header or a query is refused', async () => {
      const inBody = await postForm(server.app, '/oauth/token', {
        grant_type: 'refresh_token',
        client_id: 'a\0b',
        refresh_token: 'x',
      });
      assert.equal(inBody.statusCode, 400);
      assert.equal(inBody.json().error, 'invalid_request');

      const inBasic = await postForm(
        server.app,
        '/oauth/token',
        { grant_type: 'client_credentials' },
        { authorization: `Basic ${Buffer.from('a%00b:secret').toString('base64')}` },
      );
      assert.equal(inBasic.statusCode, 401);
      assert.equal(inBasic.json().error, 'invalid_client');

      const { client, secret } = await server.createClient({ kind: 'password' });
      const inUsername = await postForm(
        server.app,
        '/oauth/token',
        { grant_type: 'password', username: 'ada\0@example.com', password: 'x' },
        { authorization: basic(client.id, secret!) },
      );
      assert.equal(inUsername.statusCode, 400);
      assert.equal(inUsername.json().error, 'invalid_request');

      const inQuery = await server.app.inject(
        '/oauth/authorize?client_id=a%00b&response_type=code',
      );
      assert.equal(inQuery.statusCode, 400);
    });

    test('revoking an unsigned token whose jti holds a NUL answers 200 and revokes nothing', async () => {
      const { client, secret } = await server.createClient({
        kind: 'client_credentials',
        scopes: ['users:*', 'email'],
      });
      const forged = new UnsecuredJWT({ jti: 'a\u0000b' }).encode().replace(/\.$/, '.x');
      const response = await postForm(
        server.app,
        '/oauth/revoke',
        { token: forged },
        { authorization: basic(client.id, secret!) },
      );
      assert.equal(response.statusCode, 200);
    });

    test('a personal access token name or id with a NUL is refused', async () => {
      const first = await obtainCode(server, 'openid', { skipConsent: true });
      const auth = { authorization: `Bearer ${(await first.exchange()).json().access_token}` };
      const badName = await server.app.inject({
        method: 'POST',
        url: '/oauth/personal-access-tokens',
        headers: auth,
        payload: { name: 'ci\u0000deploy' },
      });
      assert.equal(badName.statusCode, 400);
      assert.equal(badName.json().error, 'invalid_request');
      const badId = await server.app.inject({
        method: 'DELETE',
        url: '/oauth/personal-access-tokens/a%00b',
        headers: auth,
      });
      assert.equal(badId.statusCode, 404);
      assert.equal(badId.headers['cache-control'], 'no-store');
    });

    test('a grant type named like a built-in object property is unsupported_grant_type', async () => {
      const { client, secret } = await server.createClient({
        kind: 'client_credentials',
        scopes: ['users:*', 'email'],
      });
      for (const grantType of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
        const response = await postForm(
          server.app,
          '/oauth/token',
          { grant_type: grantType },
          { authorization: basic(client.id, secret!) },
        );
        assert.equal(response.statusCode, 400, grantType);
        assert.equal(response.json().error, 'unsupported_grant_type', grantType);
      }
    });
  });
}

describe('token state seen by introspection and userinfo', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('a disabled user’s refresh token introspects inactive, as the refresh grant refuses it', async () => {
    const flow = await obtainCode(server);
    const tokens = (await flow.exchange()).json();
    assert.equal((await flow.introspect(tokens.refresh_token)).active, true);
    await server.portcullis.db
      .updateTable('users')
      .set({ disabled_at: server.clock.now() })
      .where('id', '=', flow.user.id)
      .execute();
    assert.deepEqual(await flow.introspect(tokens.refresh_token), { active: false });
    assert.equal((await flow.refresh(tokens.refresh_token)).json().error, 'invalid_grant');
  });

  test('userinfo without credentials challenges without an error code (RFC 6750 §3.1)', async () => {
    const none = await server.app.inject('/oauth/userinfo');
    assert.equal(none.statusCode, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="portcullis"');
    const bad = await server.app.inject({
      url: '/oauth/userinfo',
      headers: { authorization: 'Bearer not-a-token' },
    });
    assert.equal(bad.statusCode, 401);
    assert.match(String(bad.headers['www-authenticate']), /^Bearer error="invalid_token"/);
  });
});
