import { after, before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import { createRole } from '../../src/core/rbac/manage-roles.js';
import { assignRole } from '../../src/core/rbac/manage-grants.js';
import { createOrganization } from '../../src/core/rbac/manage-organizations.js';

const PASSWORD = 'a long enough passphrase';

for (const dialect of await testDialects()) {
  describe(`auth API: accounts and token pairs (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ dialect });
    });
    after(() => server.close());

    let counter = 0;
    const newEmail = () => `person${++counter}-${Date.now()}@example.com`;
    const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      server.app.inject({ method: 'POST', url, payload: payload as object, headers });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    /** Mail written to storage/mail for `to`, newest last, once the mail queue has sent it all. */
    const mailTo = async (to: string) => {
      await server.portcullis.ctx.mailQueue.drained();
      const folder = join(server.storageDir, 'mail');
      let files: string[] = [];
      try {
        files = readdirSync(folder).sort();
      } catch {
        return [];
      }
      return files
        .map((f) => readFileSync(join(folder, f), 'utf8'))
        .filter((m) => m.includes(`To: ${to}`));
    };
    /** The token of the last link to `path` mailed to `to`. */
    const mailedToken = async (to: string, path: string) => {
      const mails = await mailTo(to);
      // Quoted-printable may wrap long lines with "=\n"; undo it before reading the link.
      const body = mails
        .at(-1)
        ?.replace(/=\r?\n/g, '')
        .replace(/=3D/g, '=');
      const match = body?.match(new RegExp(`${path}\\?token=([A-Za-z0-9_%-]+)`));
      assert.ok(match, `no ${path} link mailed to ${to}`);
      return decodeURIComponent(match[1]!);
    };
    const registered = async () => {
      const email = newEmail();
      const response = await post('/api/v1/auth/register', {
        email,
        password: PASSWORD,
        name: 'P',
      });
      assert.equal(response.statusCode, 202, response.body);
      return email;
    };
    const login = async (email: string, password = PASSWORD) =>
      post('/api/v1/auth/login', { email, password });

    test('register → confirm by the mailed link → login → me → refresh → logout → token refused', async () => {
      const email = await registered();
      const token = await mailedToken(email, '/account/verify-email');
      const confirmed = await server.app.inject({
        method: 'GET',
        url: `/api/v1/auth/verify-email?token=${encodeURIComponent(token)}`,
      });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      const again = await post('/api/v1/auth/verify-email', { token });
      assert.equal(again.statusCode, 400, 'the link works once');
      assert.equal(again.json().error, 'invalid_grant');

      const signedIn = await login(email);
      assert.equal(signedIn.statusCode, 200, signedIn.body);
      assert.equal(signedIn.headers['cache-control'], 'no-store');
      const pair = signedIn.json();
      assert.equal(pair.token_type, 'Bearer');
      assert.ok(pair.expires_in > 0 && pair.refresh_token && pair.access_token);
      const claims = decodeJwt(pair.access_token);
      assert.ok(claims.sub && Array.isArray(claims.roles) && Array.isArray(claims.permissions));

      const who = await server.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: bearer(pair.access_token),
      });
      assert.equal(who.statusCode, 200, who.body);
      assert.equal(who.json().email, email);
      assert.equal(who.json().email_verified, true);

      const refreshed = await post('/api/v1/auth/refresh', { refresh_token: pair.refresh_token });
      assert.equal(refreshed.statusCode, 200, refreshed.body);
      const next = refreshed.json();
      assert.notEqual(next.refresh_token, pair.refresh_token);

      const out = await post('/api/v1/auth/logout', undefined, bearer(next.access_token));
      assert.equal(out.statusCode, 204, out.body);
      const afterLogout = await server.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: bearer(next.access_token),
      });
      assert.equal(afterLogout.statusCode, 401);
      const refreshAfterLogout = await post('/api/v1/auth/refresh', {
        refresh_token: next.refresh_token,
      });
      assert.equal(refreshAfterLogout.statusCode, 400, 'logout revoked the refresh family too');
    });

    test('a reused refresh token revokes the whole family', async () => {
      const email = await registered();
      const pair = (await login(email)).json();
      const rotated = (
        await post('/api/v1/auth/refresh', { refresh_token: pair.refresh_token })
      ).json();
      const replay = await post('/api/v1/auth/refresh', { refresh_token: pair.refresh_token });
      assert.equal(replay.statusCode, 400);
      assert.equal(replay.json().error, 'invalid_grant');
      const victim = await post('/api/v1/auth/refresh', { refresh_token: rotated.refresh_token });
      assert.equal(victim.statusCode, 400, 'the thief’s replay killed the rotated token too');
    });

    test('POST /token signs in with a form, as seed 003', async () => {
      const email = await registered();
      const response = await server.app.inject({
        method: 'POST',
        url: '/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ username: email, password: PASSWORD }).toString(),
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().token_type, 'Bearer');
    });

    test('me: roles and permissions of the token’s organization only; a plain sign-in has none there', async () => {
      const email = await registered();
      const user = (await server.portcullis.ctx.repos.users.findByEmail(email))!;
      const ctx = server.portcullis.ctx;
      const org = await createOrganization(ctx, { name: `Org ${++counter}` });
      await ctx.repos.organizations.addMember(org.id, user.id, ctx.clock.now());
      const role = `lead-${counter}`;
      await createRole(ctx, { name: role, permissions: ['projects:*'] });
      await assignRole(ctx, user.id, role, org.id);
      const pair = (await login(email)).json();
      const plain = (
        await server.app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: bearer(pair.access_token),
        })
      ).json();
      assert.equal(plain.org, null, 'a sign-in acts for no organization until it switches');
      assert.deepEqual(plain.roles, []);
      assert.deepEqual(plain.permissions, []);
      const switched = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/switch-org',
        headers: bearer(pair.access_token),
        payload: { organization_id: org.id },
      });
      assert.equal(switched.statusCode, 200, switched.body);
      const body = (
        await server.app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: bearer(switched.json().access_token),
        })
      ).json();
      assert.equal(body.org, org.id);
      assert.deepEqual(body.roles, [role]);
      assert.deepEqual(body.permissions, ['projects:*']);
      assert.deepEqual(
        body.organizations.map((o: { slug: string }) => o.slug),
        [org.slug],
      );
    });

    test('no enumeration: a taken email registers the same; unknown email and wrong password fail the same', async () => {
      const email = await registered();
      const fresh = await post('/api/v1/auth/register', { email: newEmail(), password: PASSWORD });
      const taken = await post('/api/v1/auth/register', { email, password: PASSWORD });
      assert.equal(taken.statusCode, fresh.statusCode);
      assert.equal(taken.body, fresh.body);
      assert.match(
        (await mailTo(email)).at(-1) ?? '',
        /already has one/,
        'the owner is told instead',
      );
      const unknown = await login(newEmail());
      const wrong = await login(email, 'not the right passphrase');
      assert.equal(unknown.statusCode, wrong.statusCode);
      assert.deepEqual(unknown.json(), wrong.json());
      const forgotUnknown = await post('/api/v1/auth/forgot-password', { email: newEmail() });
      const forgotKnown = await post('/api/v1/auth/forgot-password', { email });
      assert.equal(forgotUnknown.statusCode, 202);
      assert.equal(forgotUnknown.body, forgotKnown.body);
    });

    test('password reset by mail: new password works, old fails, sessions end, link works once', async () => {
      const email = await registered();
      const old = (await login(email)).json();
      await post('/api/v1/auth/forgot-password', { email });
      const token = await mailedToken(email, '/account/reset-password');
      const weak = await post('/api/v1/auth/reset-password', { token, password: 'short' });
      assert.equal(weak.statusCode, 400, 'policy first; the token is not spent');
      const reset = await post('/api/v1/auth/reset-password', {
        token,
        password: 'another long passphrase',
      });
      assert.equal(reset.statusCode, 200, reset.body);
      assert.equal((await login(email)).statusCode, 400);
      assert.equal((await login(email, 'another long passphrase')).statusCode, 200);
      const me = await server.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: bearer(old.access_token),
      });
      assert.equal(me.statusCode, 401, 'the old session ended');
      assert.equal(
        (await post('/api/v1/auth/refresh', { refresh_token: old.refresh_token })).statusCode,
        400,
      );
      const replay = await post('/api/v1/auth/reset-password', {
        token,
        password: 'a third long passphrase',
      });
      assert.equal(replay.statusCode, 400);
    });

    test('bad input: weak or common passwords, bad emails, oversized bodies, unknown fields', async () => {
      for (const [body, pattern] of [
        [{ email: newEmail(), password: 'short pass' }, /at least 12/],
        [{ email: newEmail(), password: 'password1234' }, /most common/],
        [{ email: 'not-an-email', password: PASSWORD }, /email/],
      ] as const) {
        const response = await post('/api/v1/auth/register', body);
        assert.equal(response.statusCode, 400, response.body);
        assert.equal(response.json().error, 'invalid_request');
        assert.match(response.json().message, pattern);
      }
      const huge = await post('/api/v1/auth/register', {
        email: newEmail(),
        password: 'x'.repeat(40_000),
      });
      assert.equal(huge.statusCode, 413);
      const sneaky = newEmail();
      const extra = await post('/api/v1/auth/register', {
        email: sneaky,
        password: PASSWORD,
        roles: ['admin'],
      });
      assert.equal(extra.statusCode, 202, 'unknown fields are dropped, never applied');
      const token = (await login(sneaky)).json().access_token;
      assert.deepEqual(decodeJwt(token).roles, []);
    });

    test('emails are one account whatever their Unicode form or case', async () => {
      const composed = `j\u00f6rg-${++counter}@example.com`;
      const decomposed = composed.normalize('NFD').toUpperCase();
      assert.equal(
        (await post('/api/v1/auth/register', { email: composed, password: PASSWORD })).statusCode,
        202,
      );
      assert.equal((await login(decomposed)).statusCode, 200);
    });

    test('brute force: the sixth try on an account is 429 with Retry-After, right password or not', async () => {
      const email = await registered();
      for (let i = 0; i < 5; i++)
        assert.equal((await login(email, `wrong guess number ${i}`)).statusCode, 400);
      const blocked = await login(email);
      assert.equal(blocked.statusCode, 429);
      assert.ok(Number(blocked.headers['retry-after']) > 0);
    });
  });
}

describe('auth API: a lockout ends with its window', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { loginThrottle: { windowMinutes: 15 } } });
  });
  after(() => {
    mock.timers.reset();
    return server.close();
  });

  test('locked after five failures; fifteen minutes later the right password signs in', async () => {
    const user = await server.createUser(`locked-${Date.now()}@example.com`, PASSWORD);
    const login = (password: string) =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password },
      });
    // The limiter reads the wall clock: move the clock itself, not a test-only one.
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    for (let i = 0; i < 5; i++)
      assert.equal((await login(`wrong guess ${i} here`)).statusCode, 400);
    const locked = await login(PASSWORD);
    assert.equal(locked.statusCode, 429);
    const retryAfter = Number(locked.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
    mock.timers.tick(14 * 60_000);
    assert.equal((await login(PASSWORD)).statusCode, 429, 'still inside the window');
    mock.timers.tick(60_000 + 1000);
    assert.equal((await login(PASSWORD)).statusCode, 200, 'the window has ended');
  });
});
