import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { InjectBrowser } from '../helpers/oauth-inject.js';
import { FormBrowser } from '../helpers/browser-flow.js';
import { REDIRECT } from '../helpers/code-flow.js';

describe('RP-initiated logout (/oauth/logout)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ listen: true });
  });
  after(() => server.close());

  test('openid-client builds the logout URL from discovery; confirming ends the session and returns with state', async () => {
    const { client, secret } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT],
    });
    const user = await server.createUser();
    const config = await oidc.discovery(
      new URL(server.url),
      client.id,
      secret!,
      oidc.ClientSecretBasic(secret!),
      { execute: [oidc.allowInsecureRequests] },
    );
    const verifier = oidc.randomPKCECodeVerifier();
    const browser = new FormBrowser(server.url);
    const callback = await browser.signInAndApprove(
      oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      }).href,
      user.email,
      user.password,
    );
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      idTokenExpected: true,
    });

    const logoutUrl = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: REDIRECT,
      state: 'bye',
    });
    const confirm = await browser.get(logoutUrl.href);
    assert.equal(confirm.status, 200);
    const html = await confirm.text();
    assert.match(html, /Sign out/);
    const form = FormBrowser.readForm(html);
    const done = await browser.post(form.action, form.fields);
    assert.equal(done.status, 303);
    const back = new URL(done.headers.get('location')!);
    assert.equal(back.origin + back.pathname, REDIRECT);
    assert.equal(back.searchParams.get('state'), 'bye');

    // The browser must sign in again.
    const again = await browser.get(
      oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      }).href,
    );
    assert.match(await again.text(), /name="password"/);
  });

  test('a cross-site link or form without the CSRF token signs nobody out', async () => {
    const user = await server.createUser();
    const browser = new InjectBrowser(server.app);
    const { client } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT],
    });
    await browser.authorize(
      {
        response_type: 'code',
        client_id: client.id,
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      },
      user.email,
      user.password,
    );
    const forged = await browser.post('/oauth/logout', { client_id: client.id });
    assert.equal(forged.statusCode, 200, 'asked to confirm instead');
    assert.match(forged.body, /<h1>Sign out of [^<]*\?<\/h1>/);
    const still = await browser.get(
      `/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.id, redirect_uri: REDIRECT, scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`,
    );
    assert.equal(still.statusCode, 303, 'still signed in: straight back with a code');
  });

  test('an unregistered post_logout_redirect_uri is an error page, never a redirect', async () => {
    const { client } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT],
    });
    const response = await server.app.inject(
      `/oauth/logout?${new URLSearchParams({ client_id: client.id, post_logout_redirect_uri: 'https://evil.example/' })}`,
    );
    assert.equal(response.statusCode, 400);
    assert.equal(response.headers.location, undefined);
    const noClient = await server.app.inject(
      `/oauth/logout?${new URLSearchParams({ post_logout_redirect_uri: REDIRECT })}`,
    );
    assert.equal(noClient.statusCode, 400);
    const forgedHint = await server.app.inject(
      `/oauth/logout?${new URLSearchParams({ id_token_hint: 'a.b.c', post_logout_redirect_uri: REDIRECT })}`,
    );
    assert.equal(forgedHint.statusCode, 400);
  });

  test('without a session, logout goes straight back (or shows the signed-out page)', async () => {
    const { client } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT],
    });
    const back = await server.app.inject(
      `/oauth/logout?${new URLSearchParams({ client_id: client.id, post_logout_redirect_uri: REDIRECT, state: 's' })}`,
    );
    assert.equal(back.statusCode, 303);
    assert.equal(new URL(back.headers.location as string).searchParams.get('state'), 's');
    const page = await server.app.inject('/oauth/logout');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /You are signed out/);
  });
});
