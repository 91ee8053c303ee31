import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { InjectBrowser, basic, pkcePair } from '../helpers/oauth-inject.js';
import { REDIRECT } from '../helpers/code-flow.js';

describe('brute-force limits on password sign-in', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  async function passwordGrant(
    username: string,
    password: string,
    clientAuth: string,
    remoteAddress = '198.51.100.20',
  ) {
    return server.app.inject({
      method: 'POST',
      url: '/oauth/token',
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: clientAuth },
      payload: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
    });
  }

  test('password grant: after five failures even the right password gets 429 with Retry-After; known and unknown emails look the same', async () => {
    const { client, secret } = await server.createClient({ kind: 'password' });
    const auth = basic(client.id, secret!);
    const user = await server.createUser();
    const ghost = 'ghost-user@example.com';
    for (let i = 0; i < 5; i++) {
      assert.equal((await passwordGrant(user.email, 'wrong password', auth)).statusCode, 400);
      assert.equal((await passwordGrant(ghost, 'wrong password', auth)).statusCode, 400);
    }
    const locked = await passwordGrant(user.email, user.password, auth);
    const lockedGhost = await passwordGrant(ghost, user.password, auth);
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().error, 'invalid_grant');
    assert.ok(
      Number(locked.headers['retry-after']) > 800,
      'Retry-After in seconds, about the window',
    );
    assert.equal(lockedGhost.statusCode, 429);
    assert.deepEqual(locked.json(), lockedGhost.json(), 'no enumeration through the lockout');
    assert.equal(locked.headers['cache-control'], 'no-store');

    const elsewhere = await passwordGrant(user.email, user.password, auth, '192.0.2.99');
    assert.equal(
      elsewhere.statusCode,
      200,
      'the real user, from their own address, is not locked out',
    );
  });

  test('password grant: a burst of parallel guesses gets no more password checks than the limit', async () => {
    const { client, secret } = await server.createClient({ kind: 'password' });
    const auth = basic(client.id, secret!);
    const user = await server.createUser();
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        passwordGrant(user.email, `guess ${i}`, auth, '198.51.100.77'),
      ),
    );
    const checked = burst.filter((r) => r.statusCode === 400).length;
    const refused = burst.filter((r) => r.statusCode === 429).length;
    assert.equal(checked, 5, 'five guesses were checked');
    assert.equal(refused, 25);
  });

  test('password grant: a burst of parallel correct sign-ins all succeed', async () => {
    const { client, secret } = await server.createClient({ kind: 'password' });
    const auth = basic(client.id, secret!);
    const user = await server.createUser();
    const burst = await Promise.all(
      Array.from({ length: 15 }, () =>
        passwordGrant(user.email, user.password, auth, '198.51.100.78'),
      ),
    );
    assert.deepEqual(
      burst.map((r) => r.statusCode),
      burst.map(() => 200),
    );
  });

  test('login page: the sixth try shows a clear "too many attempts" page with 429', async () => {
    const { client } = await server.createClient({
      kind: 'authorization_code',
      redirectUris: [REDIRECT],
    });
    const user = await server.createUser();
    const browser = new InjectBrowser(server.app);
    const { challenge } = pkcePair();
    const page = await browser.get(
      `/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.id, redirect_uri: REDIRECT, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' })}`,
    );
    for (let i = 0; i < 5; i++)
      assert.equal((await browser.login(page, user.email, 'nope nope nope')).statusCode, 401);
    const blocked = await browser.login(page, user.email, user.password);
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.body, /Too many failed attempts\. Try again in 15 minutes\./);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    assert.equal(browser.cookies.portcullis_session, undefined, 'no session while blocked');
  });
});
