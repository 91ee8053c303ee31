import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { mailedLink } from '../helpers/mailbox.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the email confirmation page (the mailed link)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  let counter = 0;
  const registered = async () => {
    const email = `verify${++counter}-${Date.now()}@example.com`;
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email, password: 'a long enough passphrase' },
    });
    assert.equal(response.statusCode, 202, response.body);
    return email;
  };
  const me = async (email: string) => {
    const signedIn = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'a long enough passphrase' },
    });
    const who = await server.app.inject({
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${signedIn.json().access_token}` },
    });
    return who.json() as { email_verified: boolean };
  };

  test('the mailed link confirms the address on a page, once', async () => {
    const email = await registered();
    const link = await mailedLink(server, email, '/account/verify-email');
    assert.equal((await me(email)).email_verified, false);
    const page = await server.app.inject({ url: link, headers: { accept: BROWSER_ACCEPT } });
    assert.equal(page.statusCode, 200, page.body);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
    assert.doesNotMatch(page.body, /<script/i);
    assert.match(page.body, /Your email address is confirmed/);
    assert.equal((await me(email)).email_verified, true);

    const again = await server.app.inject({ url: link, headers: { accept: BROWSER_ACCEPT } });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /invalid, already used or expired/);
  });

  test('an unknown or missing token shows the invalid-link page', async () => {
    for (const url of ['/account/verify-email', '/account/verify-email?token=made-up']) {
      const response = await server.app.inject({ url });
      assert.equal(response.statusCode, 400, url);
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.match(response.body, /invalid, already used or expired/);
    }
  });

  test('the JSON API still confirms the mailed token', async () => {
    const email = await registered();
    const link = await mailedLink(server, email, '/account/verify-email');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const confirmed = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/verify-email',
      payload: { token },
    });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.deepEqual(confirmed.json(), { verified: true });
  });
});
