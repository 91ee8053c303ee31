import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { InjectBrowser, basic, pkcePair, postForm } from '../helpers/oauth-inject.js';
import { REDIRECT } from '../helpers/code-flow.js';

describe('id_token_hint at /oauth/authorize (OIDC Core §3.1.2.1)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  async function setup() {
    const { client, secret } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT],
      skipConsent: true,
    });
    const request = (extra: Record<string, string> = {}) => {
      const { verifier, challenge } = pkcePair();
      const query = {
        response_type: 'code',
        client_id: client.id,
        redirect_uri: REDIRECT,
        scope: 'openid',
        state: 'st',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...extra,
      };
      return { query, url: `/oauth/authorize?${new URLSearchParams(query)}`, verifier };
    };
    /** Signs `user` in on `browser` and returns the id_token the client got. */
    const idTokenOf = async (browser: InjectBrowser, user: { email: string; password: string }) => {
      const { query, verifier } = request();
      const location = await browser.authorize(query, user.email, user.password);
      const tokens = await postForm(
        server.app,
        '/oauth/token',
        {
          grant_type: 'authorization_code',
          code: location.searchParams.get('code')!,
          redirect_uri: REDIRECT,
          code_verifier: verifier,
        },
        { authorization: basic(client.id, secret!) },
      );
      return tokens.json().id_token as string;
    };
    const errorOf = (response: { headers: Record<string, unknown> }) =>
      new URL(response.headers.location as string).searchParams.get('error');
    return { client, request, idTokenOf, errorOf };
  }

  test('prompt=none answers a code for the hinted user and login_required for anyone else', async () => {
    const { request, idTokenOf, errorOf } = await setup();
    const ada = await server.createUser();
    const bob = await server.createUser();
    const adaBrowser = new InjectBrowser(server.app);
    const adaIdToken = await idTokenOf(adaBrowser, ada);
    const bobBrowser = new InjectBrowser(server.app);
    await idTokenOf(bobBrowser, bob);

    const hinted = request({ prompt: 'none', id_token_hint: adaIdToken }).url;
    const forAda = await adaBrowser.get(hinted);
    assert.equal(forAda.statusCode, 303);
    assert.ok(new URL(forAda.headers.location as string).searchParams.get('code'));
    const forBob = await bobBrowser.get(hinted);
    assert.equal(errorOf(forBob), 'login_required');
  });

  test('without prompt=none another user’s session gets the login page; signing in as someone else again is login_required', async () => {
    const { request, idTokenOf, errorOf } = await setup();
    const ada = await server.createUser();
    const bob = await server.createUser();
    const adaIdToken = await idTokenOf(new InjectBrowser(server.app), ada);
    const bobBrowser = new InjectBrowser(server.app);
    await idTokenOf(bobBrowser, bob);

    const page = await bobBrowser.get(request({ id_token_hint: adaIdToken }).url);
    assert.match(page.body, /name="password"/);
    // Posting approve with Bob's session does not get a code for the hint either.
    const forged = await bobBrowser.post('/oauth/authorize', {
      ...request({ id_token_hint: adaIdToken }).query,
      csrf_token: bobBrowser.cookies.portcullis_csrf!,
      portcullis_action: 'approve',
    });
    assert.match(forged.body, /name="password"/);
    const asBob = await bobBrowser.login(page, bob.email, bob.password);
    assert.equal(errorOf(asBob), 'login_required');
    const page2 = await bobBrowser.get(request({ id_token_hint: adaIdToken }).url);
    const asAda = await bobBrowser.login(page2, ada.email, ada.password);
    assert.equal(asAda.statusCode, 303);
    assert.ok(new URL(asAda.headers.location as string).searchParams.get('code'));
  });

  test('a hint that is not an id_token of this server for this client is invalid_request', async () => {
    const { request, idTokenOf, errorOf } = await setup();
    const other = await setup();
    const ada = await server.createUser();
    const othersIdToken = await other.idTokenOf(new InjectBrowser(server.app), ada);
    const browser = new InjectBrowser(server.app);
    await idTokenOf(browser, ada);
    for (const hint of [othersIdToken, 'not-a-jwt', othersIdToken.replace(/.$/, 'A')]) {
      const response = await browser.get(request({ id_token_hint: hint }).url);
      assert.equal(errorOf(response), 'invalid_request', hint.slice(0, 20));
    }
  });
});
