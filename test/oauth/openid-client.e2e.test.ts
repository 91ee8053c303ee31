import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import { FormBrowser } from '../helpers/browser-flow.js';

const REDIRECT = 'https://app.example.com/callback';

for (const dialect of await testDialects()) {
  describe(`every grant end to end with openid-client (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({
        dialect,
        listen: true,
        config: { signingAlgorithm: 'RS256' },
      });
    });
    after(() => server.close());

    const discover = (clientId: string, secret?: string) =>
      oidc.discovery(
        new URL(server.url),
        clientId,
        secret ? { client_secret: secret } : { token_endpoint_auth_method: 'none' },
        secret ? oidc.ClientSecretBasic(secret) : oidc.None(),
        { execute: [oidc.allowInsecureRequests] },
      );

    test('discovery, authorization code with PKCE, id_token, userinfo, refresh rotation, introspection, revocation', async () => {
      const { client, secret } = await server.createClient({
        kind: 'authorization_code',
        redirectUris: [REDIRECT],
      });
      const user = await server.createUser();
      const config = await discover(client.id, secret!);
      assert.equal(config.serverMetadata().issuer, server.url);
      assert.deepEqual(config.serverMetadata().code_challenge_methods_supported, ['S256']);

      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const authorizeUrl = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid profile email offline_access',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      const callback = await new FormBrowser(server.url).signInAndApprove(
        authorizeUrl.href,
        user.email,
        user.password,
      );
      assert.equal(callback.origin + callback.pathname, REDIRECT);

      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      assert.equal(idClaims.sub, user.id);
      assert.equal(idClaims.aud, client.id);
      assert.equal(idClaims.nonce, nonce);
      assert.equal(idClaims.email, user.email);
      assert.ok(idClaims.at_hash, 'id_token carries at_hash');
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.ok(tokens.refresh_token);

      const info = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
      assert.equal(info.email, user.email);
      assert.equal(info.name, 'Ada Lovelace');

      const introspected = await oidc.tokenIntrospection(config, tokens.access_token);
      assert.equal(introspected.active, true);
      assert.equal(introspected.sub, user.id);
      assert.equal(introspected.client_id, client.id);
      assert.equal(introspected.scope, 'openid profile email offline_access');

      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
      assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'refresh token rotates');
      assert.equal(
        (await oidc.tokenIntrospection(config, tokens.refresh_token!)).active,
        false,
        'the rotated token is dead',
      );
      assert.equal((await oidc.tokenIntrospection(config, refreshed.refresh_token!)).active, true);
      assert.equal(refreshed.claims()?.sub, user.id, 'refresh returns a fresh id_token');

      await oidc.tokenRevocation(config, refreshed.access_token);
      assert.equal((await oidc.tokenIntrospection(config, refreshed.access_token)).active, false);
      await oidc.tokenRevocation(config, refreshed.refresh_token!);
      assert.equal((await oidc.tokenIntrospection(config, refreshed.refresh_token!)).active, false);
      await assert.rejects(
        oidc.refreshTokenGrant(config, refreshed.refresh_token!),
        (e: oidc.ResponseBodyError) => e.error === 'invalid_grant',
      );
    });

    test('a public client uses PKCE without a secret', async () => {
      const { client, secret } = await server.createClient({
        kind: 'authorization_code',
        public: true,
        redirectUris: [REDIRECT],
      });
      assert.equal(secret, null);
      const user = await server.createUser();
      const config = await discover(client.id);
      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const callback = await new FormBrowser(server.url).signInAndApprove(
        url.href,
        user.email,
        user.password,
      );
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        idTokenExpected: true,
      });
      assert.equal(tokens.claims()?.sub, user.id);
    });

    test('client credentials', async () => {
      const { client, secret } = await server.createClient({
        kind: 'client_credentials',
        scopes: ['users:*', 'email'],
      });
      const config = await discover(client.id, secret!);
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'users:read' });
      assert.equal(tokens.scope, 'users:read');
      assert.equal(tokens.refresh_token, undefined, 'no refresh token without a user');
      const introspected = await oidc.tokenIntrospection(config, tokens.access_token);
      assert.equal(introspected.active, true);
      assert.equal(introspected.sub, client.id);
    });

    test('password grant with refresh', async () => {
      const { client, secret } = await server.createClient({ kind: 'password' });
      const user = await server.createUser();
      const config = await discover(client.id, secret!);
      const tokens = await oidc.genericGrantRequest(config, 'password', {
        username: user.email,
        password: user.password,
        scope: 'api-keys:read email',
      });
      assert.ok(tokens.refresh_token);
      assert.equal(
        (await oidc.tokenIntrospection(config, tokens.access_token)).username,
        user.email,
      );
      // Without the email scope, introspection does not reveal the user's email.
      const narrow = await oidc.genericGrantRequest(config, 'password', {
        username: user.email,
        password: user.password,
        scope: 'api-keys:read',
      });
      const introspected = await oidc.tokenIntrospection(config, narrow.access_token);
      assert.equal(introspected.active, true);
      assert.equal(introspected.sub, user.id);
      assert.equal(introspected.username, undefined);
      await assert.rejects(
        oidc.genericGrantRequest(config, 'password', {
          username: user.email,
          password: 'wrong password!',
        }),
        (e: oidc.ResponseBodyError) => e.error === 'invalid_grant',
      );
    });
  });
}
