import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { basic, postForm } from '../helpers/oauth-inject.js';
import { obtainCode } from '../helpers/code-flow.js';

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
    return {
      user,
      auth: { authorization: `Bearer ${login.json().access_token}` },
      clientAuth: basic(client.id, secret!),
    };
  }

  test('a user creates a named long-lived token (shown once), lists it and revokes it', async () => {
    const { user, auth, clientAuth } = await signedInUser();
    const beyond = await server.app.inject({
      method: 'POST',
      url: '/oauth/personal-access-tokens',
      headers: auth,
      payload: { name: 'CI deploy', scopes: ['users:read'] },
    });
    assert.equal(beyond.statusCode, 403, 'a token holds only what its user holds');
    const created = await server.app.inject({
      method: 'POST',
      url: '/oauth/personal-access-tokens',
      headers: auth,
      payload: { name: 'CI deploy', scopes: ['api-keys:read'] },
    });
    assert.equal(created.statusCode, 201);
    const body = created.json();
    const claims = decodeJwt(body.access_token);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.scope, 'api-keys:read');
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

    // The PAT itself is an access token of the user.
    const introspected = await postForm(
      server.app,
      '/oauth/introspect',
      { token: body.access_token },
      { authorization: clientAuth },
    );
    assert.equal(introspected.json().active, true);
    assert.equal(introspected.json().sub, user.id);

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
    const dead = await postForm(
      server.app,
      '/oauth/introspect',
      { token: body.access_token },
      { authorization: clientAuth },
    );
    assert.deepEqual(dead.json(), { active: false });
  });

  test('only a first-party sign-in manages them: a third-party app’s token and a personal access token get 403', async () => {
    // A third-party app the user consented to for `openid` only.
    const thirdParty = await obtainCode(server, 'openid');
    const thirdPartyToken = (await thirdParty.exchange()).json().access_token as string;
    const asThirdParty = { authorization: `Bearer ${thirdPartyToken}` };
    const escalation = await server.app.inject({
      method: 'POST',
      url: '/oauth/personal-access-tokens',
      headers: asThirdParty,
      payload: { name: 'escalate', scopes: ['users:read', 'users:write'] },
    });
    assert.equal(escalation.statusCode, 403);
    assert.equal(escalation.json().error, 'insufficient_scope');
    assert.match(
      String(escalation.headers['www-authenticate']),
      /^Bearer error="insufficient_scope"/,
    );
    assert.equal(
      (await server.app.inject({ url: '/oauth/personal-access-tokens', headers: asThirdParty }))
        .statusCode,
      403,
    );

    // A first-party app (no consent screen) signs the user in through the same pages: allowed.
    const firstParty = await obtainCode(server, 'openid', { skipConsent: true });
    const firstPartyToken = (await firstParty.exchange()).json().access_token as string;
    const created = await server.app.inject({
      method: 'POST',
      url: '/oauth/personal-access-tokens',
      headers: { authorization: `Bearer ${firstPartyToken}` },
      payload: { name: 'from the dashboard', scopes: ['api-keys:read'] },
    });
    assert.equal(created.statusCode, 201);

    // The personal access token cannot mint, list or revoke personal access tokens.
    const asPat = { authorization: `Bearer ${created.json().access_token}` };
    const minted = await server.app.inject({
      method: 'POST',
      url: '/oauth/personal-access-tokens',
      headers: asPat,
      payload: { name: 'another' },
    });
    assert.equal(minted.statusCode, 403);
    assert.equal(
      (await server.app.inject({ url: '/oauth/personal-access-tokens', headers: asPat }))
        .statusCode,
      403,
    );
    assert.equal(
      (
        await server.app.inject({
          method: 'DELETE',
          url: `/oauth/personal-access-tokens/${created.json().token.id}`,
          headers: asPat,
        })
      ).statusCode,
      403,
    );
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

  test('without a token: 401; with a client (not user) token: 403; bad body: 400', async () => {
    assert.equal(
      (await server.app.inject({ url: '/oauth/personal-access-tokens' })).statusCode,
      401,
    );
    const { client, secret } = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:*', 'email'],
    });
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
      403,
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
