import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { InjectBrowser, pkcePair } from '../helpers/oauth-inject.js';
import { REDIRECT } from '../helpers/code-flow.js';

describe('GET /oauth/authorize', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  async function setup(options: { public?: boolean } = {}) {
    const { client } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT, 'https://app.example.com/other'],
      ...options,
    });
    const user = await server.createUser();
    const { challenge } = pkcePair();
    const query = (extra: Record<string, string | undefined> = {}) => {
      const params: Record<string, string> = {
        response_type: 'code',
        client_id: client.id,
        redirect_uri: REDIRECT,
        scope: 'openid',
        state: 's-123',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      };
      for (const [k, v] of Object.entries(extra)) {
        if (v === undefined) delete params[k];
        else params[k] = v;
      }
      return `/oauth/authorize?${new URLSearchParams(params)}`;
    };
    return { client, user, query, browser: new InjectBrowser(server.app) };
  }

  for (const [label, uri] of [
    ['a prefix of the registered URI', 'https://app.example.com/call'],
    ['an extension of it', 'https://app.example.com/callback/evil'],
    ['a trailing slash', 'https://app.example.com/callback/'],
    ['a different case', 'https://APP.example.com/Callback'],
    ['an extra query', 'https://app.example.com/callback?next=https://evil.example'],
    ['another host', 'https://evil.example/callback'],
  ] as const) {
    test(`a redirect_uri that differs by ${label} is shown an error page, never redirected to`, async () => {
      const { browser, query } = await setup();
      const response = await browser.get(query({ redirect_uri: uri }));
      assert.equal(response.statusCode, 400);
      assert.equal(response.headers.location, undefined);
      assert.match(response.headers['content-type'] as string, /text\/html/);
      assert.match(response.body, /redirect_uri is not registered/);
    });
  }

  test('an unknown client is shown an error page', async () => {
    const { browser, query } = await setup();
    const response = await browser.get(query({ client_id: '01JUNKNOWNCLIENT0000000000' }));
    assert.equal(response.statusCode, 400);
    assert.equal(response.headers.location, undefined);
    assert.match(response.body, /invalid_client/);
  });

  test('plain PKCE is refused by redirecting invalid_request with state', async () => {
    const { browser, query } = await setup();
    const response = await browser.get(
      query({ code_challenge_method: 'plain', code_challenge: 'x'.repeat(43) }),
    );
    assert.equal(response.statusCode, 303);
    const location = new URL(response.headers.location as string);
    assert.equal(location.origin + location.pathname, REDIRECT);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('state'), 's-123');
    assert.equal(location.searchParams.get('code'), null);
  });

  test('PKCE is required while requirePkce is on', async () => {
    const { browser, query } = await setup();
    const response = await browser.get(
      query({ code_challenge: undefined, code_challenge_method: undefined }),
    );
    assert.equal(
      new URL(response.headers.location as string).searchParams.get('error'),
      'invalid_request',
    );
  });

  test('an unknown scope is redirected as invalid_scope', async () => {
    const { browser, query } = await setup();
    const response = await browser.get(query({ scope: 'openid admin:everything' }));
    assert.equal(
      new URL(response.headers.location as string).searchParams.get('error'),
      'invalid_scope',
    );
  });

  test('error descriptions hold only the characters RFC 6749 §4.1.2.1 allows, whatever was sent', async () => {
    const { browser, query } = await setup();
    const response = await browser.get(query({ scope: 'openid "x\\y"\n\u{1F600}' }));
    const location = new URL(response.headers.location as string);
    assert.equal(location.searchParams.get('error'), 'invalid_scope');
    const description = location.searchParams.get('error_description')!;
    assert.match(description, /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/, description);
  });

  test('the code is appended to a redirect URI with a query of its own, kept byte for byte', async () => {
    const registered = 'https://app.example.com/callback?tenant=a%20b&x=1';
    const { client } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [registered],
      skipConsent: true,
    });
    const user = await server.createUser();
    const location = await new InjectBrowser(server.app).authorize(
      {
        response_type: 'code',
        client_id: client.id,
        redirect_uri: registered,
        scope: 'openid',
        state: 's t',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      },
      user.email,
      user.password,
    );
    assert.ok(location.href.startsWith(`${registered}&code=`), location.href);
    assert.equal(location.searchParams.get('state'), 's t');
    assert.equal(location.searchParams.get('tenant'), 'a b');
  });

  test('response_type other than code is unsupported_response_type', async () => {
    const { browser, query } = await setup();
    const response = await browser.get(query({ response_type: 'token' }));
    assert.equal(
      new URL(response.headers.location as string).searchParams.get('error'),
      'unsupported_response_type',
    );
  });

  test('a repeated parameter is refused', async () => {
    const { browser, query } = await setup();
    const response = await browser.get(query() + '&client_id=another');
    assert.equal(response.statusCode, 400);
    assert.equal(response.headers.location, undefined);
  });

  test('the login page says nothing about which of email or password was wrong', async () => {
    const { browser, query, user } = await setup();
    const page = await browser.get(query());
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="password"/);
    const wrongPassword = await browser.login(page, user.email, 'not the password');
    const unknownEmail = await browser.login(page, 'nobody@example.com', 'not the password');
    assert.equal(wrongPassword.statusCode, 401);
    assert.equal(unknownEmail.statusCode, 401);
    const message = (body: string) => /role="alert">([^<]*)</.exec(body)?.[1];
    assert.equal(message(wrongPassword.body), message(unknownEmail.body));
  });

  test('a login form posted without its CSRF token is refused', async () => {
    const { browser, query, user } = await setup();
    const page = await browser.get(query());
    const forged = new InjectBrowser(server.app); // another browser: no CSRF cookie
    const response = await forged.login(page, user.email, user.password);
    assert.equal(response.statusCode, 403);
    assert.equal(forged.cookies.portcullis_session, undefined);
  });

  test('the user can deny consent: access_denied goes back with state', async () => {
    const { browser, query, user } = await setup();
    const consent = await browser.login(await browser.get(query()), user.email, user.password);
    assert.match(consent.body, /wants to access your account/);
    const denied = await browser.decide(consent, 'deny');
    const location = new URL(denied.headers.location as string);
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('state'), 's-123');
  });

  test('consent is remembered per user, client and scope set', async () => {
    const { browser, query, user } = await setup();
    const first = await browser.authorize(
      Object.fromEntries(new URL(query(), 'http://x').searchParams),
      user.email,
      user.password,
    );
    assert.ok(first.searchParams.get('code'));
    const again = await browser.get(query());
    assert.equal(again.statusCode, 303, 'same scopes: straight back with a code');
    assert.ok(new URL(again.headers.location as string).searchParams.get('code'));
    const more = await browser.get(query({ scope: 'openid email' }));
    assert.equal(more.statusCode, 200, 'a new scope asks again');
    assert.match(more.body, /Read your email address/);
    const forced = await browser.get(query({ prompt: 'consent' }));
    assert.equal(forced.statusCode, 200);
  });

  test('prompt=none without a session answers login_required', async () => {
    const { browser, query } = await setup();
    const response = await browser.get(query({ prompt: 'none' }));
    assert.equal(
      new URL(response.headers.location as string).searchParams.get('error'),
      'login_required',
    );
  });

  test('prompt=none with a session but no consent answers consent_required', async () => {
    const { browser, query, user } = await setup();
    await browser.login(await browser.get(query()), user.email, user.password);
    const response = await browser.get(query({ prompt: 'none' }));
    assert.equal(
      new URL(response.headers.location as string).searchParams.get('error'),
      'consent_required',
    );
  });

  test('pages are not cacheable or frameable', async () => {
    const { browser, query } = await setup();
    const page = await browser.get(query());
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.match(page.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
  });

  test('hidden fields are escaped: a hostile state cannot inject markup', async () => {
    const { browser, query } = await setup();
    const page = await browser.get(query({ state: '"><script>alert(1)</script>' }));
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('<script>alert(1)</script>'));
  });
});

describe('max_age and prompt=login', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('max_age=0 asks for a new sign-in every time, and the new sign-in gets the code (no loop)', async () => {
    const { client } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT],
    });
    const user = await server.createUser();
    const browser = new InjectBrowser(server.app);
    const { challenge } = pkcePair();
    const query = (extra: Record<string, string>) =>
      `/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.id, redirect_uri: REDIRECT, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', ...extra })}`;
    // Sign in and consent once.
    await browser.authorize(
      Object.fromEntries(new URL(query({}), 'http://x').searchParams),
      user.email,
      user.password,
    );
    server.clock.advance(5_000);
    const page = await browser.get(query({ max_age: '0' }));
    assert.match(page.body, /name="password"/, 'an older sign-in is not enough');
    server.clock.advance(5_000);
    server.clock.step = 1; // real time passes while the login request runs
    try {
      const after = await browser.login(page, user.email, user.password);
      assert.equal(after.statusCode, 303, after.body.slice(0, 200));
      assert.ok(new URL(after.headers.location as string).searchParams.get('code'));
    } finally {
      server.clock.step = 0;
    }
  });

  test('prompt=login shows the login page despite a session; signing in then issues the code', async () => {
    const { client } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT],
    });
    const user = await server.createUser();
    const browser = new InjectBrowser(server.app);
    const { challenge } = pkcePair();
    const base = {
      response_type: 'code',
      client_id: client.id,
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    await browser.authorize(base, user.email, user.password);
    const page = await browser.get(
      `/oauth/authorize?${new URLSearchParams({ ...base, prompt: 'login' })}`,
    );
    assert.match(page.body, /name="password"/);
    const after = await browser.login(page, user.email, user.password);
    assert.equal(after.statusCode, 303);
  });

  /** A code client, a user, a browser, and the parameters of a request (fresh PKCE each). */
  async function codeFlow(options: { skipConsent?: boolean } = {}) {
    const { client } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT],
      skipConsent: options.skipConsent ?? false,
    });
    const user = await server.createUser();
    const params = (extra: Record<string, string> = {}) => ({
      response_type: 'code',
      client_id: client.id,
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      ...extra,
    });
    const url = (query: Record<string, string>) => `/oauth/authorize?${new URLSearchParams(query)}`;
    const signIn = (browser: InjectBrowser, query = params()) =>
      browser.authorize(query, user.email, user.password);
    return { client, user, params, url, signIn, browser: new InjectBrowser(server.app) };
  }

  // Someone at a browser with an old session takes the CSRF token from any page and posts
  // `approve` for a request whose client asked for a new sign-in.
  for (const [label, extra, wait] of [
    ['prompt=login', { prompt: 'login' }, 0],
    ['max_age', { max_age: '60' }, 10 * 60_000],
  ] as const) {
    test(`posting approve with an old session does not skip the sign-in ${label} asks for`, async () => {
      const { params, url, signIn, browser } = await codeFlow();
      await signIn(browser);
      server.clock.advance(wait);
      const demanding = params({ ...extra, state: 's2' });
      const page = await browser.get(url(demanding));
      assert.match(page.body, /name="password"/, 'the request asks for a sign-in');
      const forged = await browser.post('/oauth/authorize', {
        ...demanding,
        csrf_token: browser.cookies.portcullis_csrf!,
        portcullis_action: 'approve',
      });
      assert.equal(forged.statusCode, 200, 'no code is issued');
      assert.match(forged.body, /name="password"/, 'the login page again');
    });
  }

  test('the same prompt=login URL opened again after its code asks for a new sign-in', async () => {
    const { user, params, url, browser } = await codeFlow({ skipConsent: true });
    // A client with a fixed state and the same PKCE challenge makes the same URL every time.
    const same = url(params({ state: 'fixed', prompt: 'login', max_age: '0' }));
    const login = await browser.get(same);
    const issued = await browser.login(login, user.email, user.password);
    assert.equal(issued.statusCode, 303);
    const again = await browser.get(same);
    assert.equal(again.statusCode, 200);
    assert.match(again.body, /name="password"/);
  });

  test('a sign-in carries to its consent post for minutes, not for the life of the session', async () => {
    const { user, params, url, browser } = await codeFlow();
    const login = await browser.get(url(params({ prompt: 'login' })));
    const consent = await browser.login(login, user.email, user.password);
    assert.match(consent.body, /portcullis_action/);
    server.clock.advance(11 * 60_000);
    const late = await browser.decide(consent, 'approve');
    assert.equal(late.statusCode, 200, 'no code from a consent page left open');
    assert.match(late.body, /name="password"/);
  });

  test('a sign-in made for a request that also needs consent carries through the consent post', async () => {
    const { user, params, url, browser } = await codeFlow();
    const login = await browser.get(url(params({ prompt: 'login consent', max_age: '0' })));
    const consent = await browser.login(login, user.email, user.password);
    assert.match(consent.body, /portcullis_action/, 'the consent page');
    const approved = await browser.decide(consent, 'approve');
    assert.equal(approved.statusCode, 303);
    assert.ok(new URL(approved.headers.location as string).searchParams.get('code'));
  });

  test('signing in again ends the browser’s previous session', async () => {
    const { params, url, signIn, browser } = await codeFlow({ skipConsent: true });
    await signIn(browser);
    const oldCookie = browser.cookies.portcullis_session!;
    await signIn(browser, params({ prompt: 'login' }));
    assert.notEqual(browser.cookies.portcullis_session, oldCookie);
    const withOld = await server.app.inject({
      url: url(params({ prompt: 'none' })),
      cookies: { portcullis_session: oldCookie },
    });
    assert.equal(withOld.statusCode, 303);
    assert.equal(
      new URL(withOld.headers.location as string).searchParams.get('error'),
      'login_required',
    );
  });
});

describe('an issuer with a path prefix (behind a proxy)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { issuer: 'https://id.example.com/auth' } });
  });
  after(() => server.close());

  test('forms post to, and cookies are scoped under, the prefixed path', async () => {
    const { client } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT],
    });
    const { challenge } = pkcePair();
    const page = await server.app.inject(
      `/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.id, redirect_uri: REDIRECT, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' })}`,
    );
    assert.match(page.body, /action="\/auth\/oauth\/authorize"/);
    const csrf = page.cookies.find((c) => c.name === 'portcullis_csrf');
    assert.equal(csrf?.path, '/auth/oauth');
    assert.equal(csrf?.secure, true, 'https issuer: Secure cookies');
    const metadata = (await server.app.inject('/.well-known/openid-configuration')).json();
    assert.equal(metadata.authorization_endpoint, 'https://id.example.com/auth/oauth/authorize');
  });
});

describe('first-party clients (skipConsent)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('go straight from sign-in to the code, unless prompt=consent asks', async () => {
    const { client } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT],
      skipConsent: true,
    });
    const user = await server.createUser();
    const browser = new InjectBrowser(server.app);
    const { challenge } = pkcePair();
    const base = {
      response_type: 'code',
      client_id: client.id,
      redirect_uri: REDIRECT,
      scope: 'openid email',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const login = await browser.get(`/oauth/authorize?${new URLSearchParams(base)}`);
    const afterLogin = await browser.login(login, user.email, user.password);
    assert.equal(afterLogin.statusCode, 303, 'no consent page');
    assert.ok(new URL(afterLogin.headers.location as string).searchParams.get('code'));
    const asked = await browser.get(
      `/oauth/authorize?${new URLSearchParams({ ...base, prompt: 'consent' })}`,
    );
    assert.equal(asked.statusCode, 200);
    assert.match(asked.body, /wants to access your account/);
  });
});
