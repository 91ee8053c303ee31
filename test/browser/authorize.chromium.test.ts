import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchChromium } from '../helpers/chromium.js';
import { createServer, type Server } from 'node:http';
import { basic, pkcePair, postForm } from '../helpers/oauth-inject.js';
import { freePort } from '../helpers/server.js';

describe('login and consent pages in real headless Chromium', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let skip: string | undefined;
  // The client app: another origin (localhost vs 127.0.0.1), so the cross-origin redirect after
  // the form post is what a real deployment does. Playwright cannot intercept redirect targets.
  let app: Server;
  let REDIRECT: string;
  const callbacks: URL[] = [];
  before(async () => {
    const port = await freePort();
    REDIRECT = `http://localhost:${port}/callback`;
    app = createServer((request, response) => {
      // Only the callback counts: Chromium also asks this origin for /favicon.ico.
      const url = new URL(request.url!, REDIRECT);
      if (url.pathname === '/callback') callbacks.push(url);
      response.end('back at the app');
    });
    await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', resolve));
    server = await startTestServer({ listen: true });
    const launched = await launchChromium();
    if (typeof launched === 'string') skip = launched;
    else browser = launched;
  });
  after(async () => {
    await browser?.close();
    await server.close();
    await new Promise((resolve) => app.close(resolve));
  });

  /** Opens the authorize URL; the client's callback is answered by the test, and recorded. */
  async function open(scope: string) {
    const { client, secret } = await server.createClient({
      kind: 'authorization_code',
      name: 'Acme Dashboard',
      redirectUris: [REDIRECT],
    });
    const user = await server.createUser();
    const { verifier, challenge } = pkcePair();
    const page: Page = await browser!.newPage();
    callbacks.length = 0;
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: client.id,
      redirect_uri: REDIRECT,
      scope,
      state: 'st-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    await page.goto(`${server.url}/oauth/authorize?${query}`);
    return { page, callbacks, client, secret: secret!, user, verifier };
  }

  test('sign in, see the requested scopes, allow: the browser lands on the client with a working code', async (t) => {
    if (skip) return t.skip(skip);
    const { page, callbacks, client, secret, user, verifier } = await open(
      'openid email api-keys:read',
    );
    assert.match((await page.textContent('h1')) ?? '', /Sign in to continue to Acme Dashboard/);
    await page.fill('#email', user.email);
    await page.fill('#password', 'wrong password');
    await page.click('button[type=submit]');
    assert.equal(await page.textContent('[role=alert]'), 'Invalid email or password.');
    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    assert.match(
      (await page.textContent('h1')) ?? '',
      /Acme Dashboard wants to access your account/,
    );
    const listed = await page.locator('ul.scopes li').allTextContents();
    assert.equal(listed.length, 3);
    assert.ok(listed.some((s) => s.includes('Read your email address')));
    await Promise.all([
      page.waitForURL(/localhost:\d+\/callback/),
      page.click('button[value=approve]'),
    ]);
    assert.equal(
      callbacks.length,
      1,
      'the redirect to the client was followed (CSP form-action allows it)',
    );
    const callback = callbacks[0]!;
    assert.equal(callback.searchParams.get('state'), 'st-1');
    const code = callback.searchParams.get('code')!;
    const tokens = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      { authorization: basic(client.id, secret) },
    );
    assert.equal(tokens.statusCode, 200);
    await page.close();
  });

  test('deny: the browser lands on the client with access_denied', async (t) => {
    if (skip) return t.skip(skip);
    const { page, callbacks, user } = await open('openid');
    await page.fill('#email', user.email);
    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    await Promise.all([
      page.waitForURL(/localhost:\d+\/callback/),
      page.click('button[value=deny]'),
    ]);
    assert.equal(callbacks[0]?.searchParams.get('error'), 'access_denied');
    await page.close();
  });
});
