import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import { REDIRECT, obtainCode } from '../helpers/code-flow.js';
import { InjectBrowser, basic, pkcePair, postForm } from '../helpers/oauth-inject.js';

for (const dialect of await testDialects()) {
  describe(`authorization code exchange refusals (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ dialect });
    });
    after(() => server.close());

    test('a valid exchange answers no-store tokens and the code redirect carries state and iss', async () => {
      const flow = await obtainCode(server);
      assert.equal(flow.location.searchParams.get('state'), 'xyz');
      assert.equal(flow.location.searchParams.get('iss'), server.url);
      const response = await flow.exchange();
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.equal(response.headers.pragma, 'no-cache');
      const body = response.json();
      assert.equal(body.token_type, 'Bearer');
      assert.ok(body.access_token && body.refresh_token && body.id_token);
    });

    test('refuses a wrong client secret with 401 invalid_client and WWW-Authenticate', async () => {
      const flow = await obtainCode(server);
      const response = await flow.exchange({}, basic(flow.client.id, 'not-the-secret'));
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error, 'invalid_client');
      assert.match(String(response.headers['www-authenticate']), /^Basic/);
      // The code was not spent by the failed authentication: the real client can still use it.
      assert.equal((await flow.exchange()).statusCode, 200);
    });

    test('refuses a missing code_verifier', async () => {
      const flow = await obtainCode(server);
      const response = await server.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(flow.client.id, flow.secret),
        },
        payload: new URLSearchParams({
          grant_type: 'authorization_code',
          code: flow.code,
          redirect_uri: REDIRECT,
        }).toString(),
      });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error, 'invalid_grant');
    });

    test('refuses a wrong code_verifier', async () => {
      const flow = await obtainCode(server);
      const response = await flow.exchange({ code_verifier: 'a'.repeat(43) });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error, 'invalid_grant');
    });

    test('refuses a redirect_uri different from the authorization request', async () => {
      const flow = await obtainCode(server);
      const response = await flow.exchange({ redirect_uri: 'https://app.example.com/callback/' });
      assert.equal(response.json().error, 'invalid_grant');
    });

    test('a reused code fails and revokes the tokens issued from its first use', async () => {
      const flow = await obtainCode(server);
      const first = (await flow.exchange()).json();
      assert.equal((await flow.introspect(first.access_token)).active, true);
      const second = await flow.exchange();
      assert.equal(second.statusCode, 400);
      assert.equal(second.json().error, 'invalid_grant');
      assert.equal(
        (await flow.introspect(first.access_token)).active,
        false,
        'access token from the first use is revoked',
      );
      assert.equal(
        (await flow.introspect(first.refresh_token)).active,
        false,
        'refresh token from the first use is revoked',
      );
      assert.equal((await flow.refresh(first.refresh_token)).json().error, 'invalid_grant');
    });

    test('a code exchanged twice at once: one success, and no token of the code stays live', async () => {
      // The loser revokes the code's tokens while the winner may still be writing them.
      for (let round = 0; round < 6; round++) {
        const flow = await obtainCode(server);
        const results = await Promise.all(
          Array.from({ length: 2 + (round % 3) }, () => flow.exchange()),
        );
        const winners = results.filter((r) => r.statusCode === 200);
        assert.equal(winners.length, 1, `round ${round}`);
        for (const loser of results.filter((r) => r.statusCode !== 200))
          assert.equal(loser.json().error, 'invalid_grant');
        const won = winners[0]!.json();
        assert.equal((await flow.introspect(won.access_token)).active, false, `round ${round}`);
        assert.equal((await flow.introspect(won.refresh_token)).active, false, `round ${round}`);
      }
    });

    test('an expired code (60 s default) is refused', async () => {
      const flow = await obtainCode(server);
      server.clock.advance(61_000);
      const response = await flow.exchange();
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error, 'invalid_grant');
    });

    test('a code issued to one client cannot be redeemed by another', async () => {
      const flow = await obtainCode(server);
      const other = await server.createClient({ kind: 'authorization_code' });
      const response = await flow.exchange({}, basic(other.client.id, other.secret!));
      assert.equal(response.json().error, 'invalid_grant');
      assert.equal(
        (await flow.exchange()).statusCode,
        200,
        'the code was not spent by the other client',
      );
    });

    test('a revoked client gets nothing and its tokens stop introspecting active', async () => {
      const flow = await obtainCode(server);
      const tokens = (await flow.exchange()).json();
      const introspector = await server.createClient({
        kind: 'client_credentials',
        scopes: ['users:*', 'email'],
      });
      const introspect = (token: string) =>
        server.app
          .inject({
            method: 'POST',
            url: '/oauth/introspect',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              authorization: basic(introspector.client.id, introspector.secret!),
            },
            payload: new URLSearchParams({ token }).toString(),
          })
          .then((r) => r.json());
      assert.equal((await introspect(tokens.access_token)).active, true);
      await server.portcullis.ctx.repos.clients.update(flow.client.id, {
        revokedAt: server.clock.now(),
        updatedAt: server.clock.now(),
      });
      assert.equal((await introspect(tokens.access_token)).active, false);
      assert.equal((await introspect(tokens.refresh_token)).active, false);
      const refreshed = await flow.refresh(tokens.refresh_token);
      assert.equal(refreshed.statusCode, 401);
      assert.equal(refreshed.json().error, 'invalid_client');
    });
  });
}

describe('redirect_uri at the token endpoint', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('may be left out when the client registered a single redirect URI', async () => {
    const flow = await obtainCode(server);
    const response = await server.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(flow.client.id, flow.secret),
      },
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code: flow.code,
        code_verifier: flow.verifier,
      }).toString(),
    });
    assert.equal(response.statusCode, 200);
  });

  test('is required when the client registered several redirect URIs', async () => {
    const { client, secret } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT, 'https://app.example.com/other'],
    });
    const user = await server.createUser();
    const { verifier, challenge } = pkcePair();
    const location = await new InjectBrowser(server.app).authorize(
      {
        response_type: 'code',
        client_id: client.id,
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      user.email,
      user.password,
    );
    const response = await postForm(
      server.app,
      '/oauth/token',
      {
        grant_type: 'authorization_code',
        code: location.searchParams.get('code')!,
        code_verifier: verifier,
      },
      { authorization: basic(client.id, secret!) },
    );
    assert.equal(response.json().error, 'invalid_grant');
  });
});
