import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { InjectBrowser } from '../helpers/oauth-inject.js';
import { FormBrowser } from '../helpers/browser-flow.js';
import { mailedLink } from '../helpers/mailbox.js';

const NEW_PASSWORD = 'a brand new passphrase';

describe('the password reset page (the mailed link)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const login = (email: string, password: string) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
    });
  /** A user who asked for a reset: the mailed link and a browser that opened it. */
  const opened = async () => {
    const user = await server.createUser();
    const asked = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/forgot-password',
      payload: { email: user.email },
    });
    assert.equal(asked.statusCode, 202);
    const link = await mailedLink(server, user.email, '/account/reset-password');
    const browser = new InjectBrowser(server.app);
    const page = await browser.get(link);
    return { user, link, browser, page };
  };
  const submit = (
    browser: InjectBrowser,
    page: LightMyRequestResponse,
    password: string,
    confirm = password,
  ) => {
    const form = FormBrowser.readForm(page.body);
    return browser.post(form.action, {
      ...form.fields,
      password,
      password_confirm: confirm,
    });
  };
  const assertPageHeaders = (response: LightMyRequestResponse) => {
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal(response.headers['referrer-policy'], 'no-referrer');
    assert.equal(response.headers['x-frame-options'], 'DENY');
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
    assert.doesNotMatch(response.body, /<script/i);
  };

  test('the mailed link opens a form carrying the token; posting it sets the password', async () => {
    const { user, link, browser, page } = await opened();
    assert.equal(page.statusCode, 200, page.body);
    assertPageHeaders(page);
    const form = FormBrowser.readForm(page.body);
    const token = new URL(link, 'http://x').searchParams.get('token');
    assert.equal(form.fields.token, token, 'the token rides in a hidden field');
    assert.ok(form.fields.csrf_token, 'the form carries the CSRF token');
    assert.equal(form.action, '/account/reset-password');

    const done = await submit(browser, page, NEW_PASSWORD);
    assert.equal(done.statusCode, 200, done.body);
    assertPageHeaders(done);
    assert.match(done.body, /Your password is changed/);
    assert.equal((await login(user.email, user.password)).statusCode, 400);
    assert.equal((await login(user.email, NEW_PASSWORD)).statusCode, 200);

    const again = await submit(browser, page, 'yet another passphrase');
    assert.equal(again.statusCode, 400, 'the link works once');
    assert.match(again.body, /invalid, already used or expired/);
  });

  test('a password the policy refuses is shown on the form, and the link still works', async () => {
    const { user, browser, page } = await opened();
    const weak = await submit(browser, page, 'short');
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /at least 12 characters/);
    assert.match(weak.body, /role="alert"/);
    const common = await submit(browser, weak, 'password1234');
    assert.equal(common.statusCode, 400);
    assert.match(common.body, /most common/);
    const done = await submit(browser, common, NEW_PASSWORD);
    assert.equal(done.statusCode, 200, done.body);
    assert.equal((await login(user.email, NEW_PASSWORD)).statusCode, 200);
  });

  test('two different passwords are refused on the form without spending the link', async () => {
    const { browser, page } = await opened();
    const differ = await submit(browser, page, NEW_PASSWORD, `${NEW_PASSWORD}!`);
    assert.equal(differ.statusCode, 400);
    assert.match(differ.body, /The two passwords differ/);
    assert.equal((await submit(browser, differ, NEW_PASSWORD)).statusCode, 200);
  });

  test('a post without the CSRF cookie is refused and spends nothing', async () => {
    const { page } = await opened();
    const stranger = new InjectBrowser(server.app);
    const refused = await submit(stranger, page, NEW_PASSWORD);
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /The form expired/);
    // The refusal set the stranger's cookie and a matching form: that one goes through.
    assert.equal((await submit(stranger, refused, NEW_PASSWORD)).statusCode, 200);
  });

  test('an unknown, missing or repeated token shows the invalid-link page', async () => {
    const browser = new InjectBrowser(server.app);
    for (const url of ['/account/reset-password', '/account/reset-password?token=a&token=b']) {
      const response = await browser.get(url);
      assert.equal(response.statusCode, 400, url);
      assertPageHeaders(response);
      assert.match(response.body, /invalid, already used or expired/);
    }
    const page = await browser.get('/account/reset-password?token=not-a-mailed-token');
    assert.equal(page.statusCode, 200, 'the form is shown: opening it spends nothing');
    const refused = await submit(browser, page, NEW_PASSWORD);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /invalid, already used or expired/);
  });
});
