import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { basic, postForm } from '../helpers/oauth-inject.js';

describe('personal access tokens', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  async function signedInUser() {
    const { client, secret } = await server.createClient({ kind: 'password' });
    const user = await server.createUser();
    const login = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'password', username: user.email, password: user.password },
      { authorization: basic(client.id, secret!) },
    );
    return { user, auth: { authorization: `Bearer ${login.json().access_token}` } };
  }

  test('a user creates a named long-lived token (shown once), lists it and revokes it', async () => {
    const { user, auth } = await signedInUser();
    const created = await server.app.inject({
      method: 'POST',
      url: '/oauth/personal-access-tokens',
      headers: auth,
      payload: { name: 'CI deploy', scopes: ['users:read'] },
    });
    assert.equal(created.statusCode, 201);
    const body = created.json();
    const claims = decodeJwt(body.access_token);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.scope, 'users:read');
    assert.equal(claims.exp! - claims.iat!, 365 * 86_400);

    const list = await server.app.inject({ url: '/oauth/personal-access-tokens', headers: auth });
    assert.deepEqual(
      list.json().map((t: { name: string }) => t.name),
      ['CI deploy'],
    );
    assert.ok(
      !JSON.stringify(list.json()).includes(body.access_token),
      'the token is never shown again',
    );

    // The PAT itself works as a bearer token.
    const viaPat = await server.app.inject({
      url: '/oauth/personal-access-tokens',
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    assert.equal(viaPat.statusCode, 200);

    const revoked = await server.app.inject({
      method: 'DELETE',
      url: `/oauth/personal-access-tokens/${body.token.id}`,
      headers: auth,
    });
    assert.equal(revoked.statusCode, 204);
    assert.deepEqual(
      (await server.app.inject({ url: '/oauth/personal-access-tokens', headers: auth })).json(),
      [],
    );
    const dead = await server.app.inject({
      url: '/oauth/personal-access-tokens',
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    assert.equal(dead.statusCode, 401);
    assert.match(String(dead.headers['www-authenticate']), /^Bearer error="invalid_token"/);
  });

  test('a user cannot revoke someone else’s token', async () => {
    const alice = await signedInUser();
    const bob = await signedInUser();
    const created = (
      await server.app.inject({
        method: 'POST',
        url: '/oauth/personal-access-tokens',
        headers: alice.auth,
        payload: { name: 'mine' },
      })
    ).json();
    const attempt = await server.app.inject({
      method: 'DELETE',
      url: `/oauth/personal-access-tokens/${created.token.id}`,
      headers: bob.auth,
    });
    assert.equal(attempt.statusCode, 404);
    assert.equal(
      (
        await server.app.inject({ url: '/oauth/personal-access-tokens', headers: alice.auth })
      ).json().length,
      1,
    );
  });

  test('without a token: 401; with a client (not user) token: 401; bad body: 400', async () => {
    assert.equal(
      (await server.app.inject({ url: '/oauth/personal-access-tokens' })).statusCode,
      401,
    );
    const { client, secret } = await server.createClient({ kind: 'client_credentials' });
    const clientToken = (
      await postForm(
        server.app,
        '/oauth/token',
        { grant_type: 'client_credentials' },
        { authorization: basic(client.id, secret!) },
      )
    ).json().access_token;
    assert.equal(
      (
        await server.app.inject({
          url: '/oauth/personal-access-tokens',
          headers: { authorization: `Bearer ${clientToken}` },
        })
      ).statusCode,
      401,
    );
    const { auth } = await signedInUser();
    const bad = await server.app.inject({
      method: 'POST',
      url: '/oauth/personal-access-tokens',
      headers: auth,
      payload: { name: '' },
    });
    assert.equal(bad.statusCode, 400);
  });
});
