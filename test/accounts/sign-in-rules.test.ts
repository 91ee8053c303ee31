import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import { basic, pkcePair, postForm } from '../helpers/oauth-inject.js';
import { FormBrowser } from '../helpers/browser-flow.js';
import { REDIRECT } from '../helpers/code-flow.js';
import { createUser } from '../../src/core/users/create-user.js';
import { disableUser } from '../../src/core/users/manage-users.js';
import { ensureAuthApiClient } from '../../src/core/accounts/auth-api-client.js';

const PASSWORD = 'a long enough passphrase';

/** One sign-in try as the caller sees it: what could tell two refusals apart, and the result. */
interface Answer {
  status: number;
  /** The public answer: the JSON body, or the login page's error message. */
  said: unknown;
  signedIn: boolean;
}

/** One way of signing in, opened on a server (its client made, if it needs one). */
interface SignInPath {
  name: string;
  open(server: TestServer): Promise<{
    attempt(email: string, password: string, ip: string): Promise<Answer>;
    /** Whether any access token (live or revoked) was ever issued to the user on this path. */
    issuedTo(userId: string): Promise<boolean>;
  }>;
  /** How this face refuses the right password of an unconfirmed email. */
  notVerified: { status: number; says: RegExp };
}

const jsonAnswer = (response: LightMyRequestResponse): Answer => ({
  status: response.statusCode,
  said: response.json(),
  signedIn: response.statusCode === 200 && typeof response.json().access_token === 'string',
});

const issuedBy = (server: TestServer, clientId: string, userId: string) =>
  server.portcullis.ctx.repos.accessTokens
    .listByClient(clientId, 1000)
    .then((tokens) => tokens.some((t) => t.userId === userId));

const PATHS: SignInPath[] = [
  {
    name: 'auth API login',
    async open(server) {
      const client = await ensureAuthApiClient(server.portcullis.ctx);
      return {
        attempt: async (email, password, ip) =>
          jsonAnswer(
            await server.app.inject({
              method: 'POST',
              url: '/api/v1/auth/login',
              remoteAddress: ip,
              payload: { email, password },
            }),
          ),
        issuedTo: (userId) => issuedBy(server, client.id, userId),
      };
    },
    notVerified: { status: 403, says: /"error":"access_denied","message":"confirm your email/ },
  },
  {
    name: 'POST /token',
    async open(server) {
      const client = await ensureAuthApiClient(server.portcullis.ctx);
      return {
        attempt: async (email, password, ip) =>
          jsonAnswer(
            await server.app.inject({
              method: 'POST',
              url: '/token',
              remoteAddress: ip,
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              payload: new URLSearchParams({ username: email, password }).toString(),
            }),
          ),
        issuedTo: (userId) => issuedBy(server, client.id, userId),
      };
    },
    notVerified: { status: 403, says: /"error":"access_denied".*confirm your email/ },
  },
  {
    name: '/oauth/token password grant',
    async open(server) {
      const { client, secret } = await server.createClient({ kind: 'password' });
      return {
        attempt: async (email, password, ip) =>
          jsonAnswer(
            await server.app.inject({
              method: 'POST',
              url: '/oauth/token',
              remoteAddress: ip,
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                authorization: basic(client.id, secret!),
              },
              payload: new URLSearchParams({
                grant_type: 'password',
                username: email,
                password,
              }).toString(),
            }),
          ),
        issuedTo: (userId) => issuedBy(server, client.id, userId),
      };
    },
    notVerified: {
      status: 400,
      says: /"error":"invalid_grant","error_description":"the email address is not verified/,
    },
  },
  {
    name: 'login page',
    async open(server) {
      const { client } = await server.createClient({
        kind: 'authorization_code',
        redirectUris: [REDIRECT],
      });
      const url = `/oauth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: client.id,
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      })}`;
      return {
        // A fresh browser each try: the page, its CSRF cookie, then the form post.
        async attempt(email, password, ip) {
          const page = await server.app.inject({ method: 'GET', url, remoteAddress: ip });
          assert.equal(page.statusCode, 200, page.body);
          const cookies = Object.fromEntries(page.cookies.map((c) => [c.name, c.value]));
          const form = FormBrowser.readForm(page.body);
          const response = await server.app.inject({
            method: 'POST',
            url: form.action,
            remoteAddress: ip,
            cookies,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams({ ...form.fields, email, password }).toString(),
          });
          return {
            status: response.statusCode,
            said: /<p class="error" role="alert">([^<]*)<\/p>/.exec(response.body)?.[1] ?? null,
            signedIn: response.cookies.some((c) => c.name === 'portcullis_session' && c.value),
          };
        },
        // The page issues no token by itself; a session is what it would make.
        issuedTo: async () => false,
      };
    },
    notVerified: { status: 403, says: /Confirm your email address first/ },
  },
];

let ipCounter = 0;
/** A fresh address per test, so one test's failures never throttle another's. */
const newIp = () => {
  const n = ++ipCounter;
  return `10.0.${Math.floor(n / 250)}.${(n % 250) + 1}`;
};

for (const dialect of await testDialects()) {
  describe(`every sign-in path applies the same account rules (${dialect})`, () => {
    let strict: TestServer;
    let lenient: TestServer;
    before(async () => {
      [strict, lenient] = await Promise.all([
        startTestServer({ dialect, config: { accounts: { requireVerifiedEmail: true } } }),
        startTestServer({ dialect }),
      ]);
    });
    after(() => Promise.all([strict.close(), lenient.close()]));

    let counter = 0;
    const unverifiedUser = (server: TestServer) =>
      createUser(server.portcullis.ctx, {
        email: `unverified${++counter}-${Date.now()}@example.com`,
        password: PASSWORD,
        emailVerified: false,
      });

    for (const path of PATHS) {
      describe(path.name, () => {
        test('refuses the right password of an unverified email when required, before issuing anything', async () => {
          const on = await path.open(strict);
          const user = await unverifiedUser(strict);
          const answer = await on.attempt(user.email, PASSWORD, newIp());
          assert.equal(answer.status, path.notVerified.status, JSON.stringify(answer.said));
          assert.match(JSON.stringify(answer.said), path.notVerified.says);
          assert.equal(answer.signedIn, false, 'no token pair and no session');
          assert.equal(await on.issuedTo(user.id), false, 'no token issued, not even revoked');
        });

        test('signs in an unverified email when the server does not require it', async () => {
          const on = await path.open(lenient);
          const user = await unverifiedUser(lenient);
          const answer = await on.attempt(user.email, PASSWORD, newIp());
          assert.equal(answer.signedIn, true, JSON.stringify(answer.said));
        });

        test('tells "not verified" only to the right password: a wrong one looks like an unknown email', async () => {
          const on = await path.open(strict);
          const user = await unverifiedUser(strict);
          const ip = newIp();
          const wrong = await on.attempt(user.email, 'not the passphrase', ip);
          const unknown = await on.attempt(`ghost${++counter}@example.com`, PASSWORD, ip);
          assert.equal(wrong.signedIn, false);
          assert.deepEqual(wrong, unknown);
          assert.doesNotMatch(JSON.stringify(wrong.said), path.notVerified.says);
        });

        test('a disabled user with the right password gets the same answer as a wrong password', async () => {
          for (const server of [strict, lenient]) {
            const on = await path.open(server);
            const user = await server.createUser(undefined, PASSWORD);
            await disableUser(server.portcullis.ctx, user.id);
            const ip = newIp();
            const disabled = await on.attempt(user.email, PASSWORD, ip);
            const other = await server.createUser(undefined, PASSWORD);
            const wrong = await on.attempt(other.email, 'not the passphrase', ip);
            assert.equal(disabled.signedIn, false);
            assert.deepEqual(disabled, wrong);
            assert.equal(await on.issuedTo(user.id), false);
          }
        });

        test('five failures lock the account out from that address: the right password then gets 429', async () => {
          const on = await path.open(strict);
          const user = await strict.createUser(undefined, PASSWORD);
          const ip = newIp();
          for (let i = 0; i < 5; i++)
            assert.notEqual((await on.attempt(user.email, `guess ${i}`, ip)).status, 429);
          const locked = await on.attempt(user.email, PASSWORD, ip);
          assert.equal(locked.status, 429);
          assert.equal(locked.signedIn, false);
          assert.equal((await on.attempt(user.email, PASSWORD, newIp())).signedIn, true);
        });

        test('an unverified owner retrying the right password is not locked out', async () => {
          const on = await path.open(strict);
          const user = await unverifiedUser(strict);
          const ip = newIp();
          for (let i = 0; i < 7; i++) {
            const answer = await on.attempt(user.email, PASSWORD, ip);
            assert.equal(answer.status, path.notVerified.status, `try ${i + 1}`);
          }
          await strict.portcullis.ctx.repos.users.markEmailVerified(user.id, strict.clock.now());
          assert.equal((await on.attempt(user.email, PASSWORD, ip)).signedIn, true);
        });
      });
    }

    describe('refresh after the user was disabled', () => {
      const signedInPair = async (server: TestServer) => {
        const { client, secret } = await server.createClient({ kind: 'password' });
        const user = await server.createUser(undefined, PASSWORD);
        const auth = basic(client.id, secret!);
        const tokens = await postForm(
          server.app,
          '/oauth/token',
          { grant_type: 'password', username: user.email, password: PASSWORD },
          { authorization: auth },
        );
        assert.equal(tokens.statusCode, 200, tokens.body);
        const refresh = (refreshToken: string) =>
          postForm(
            server.app,
            '/oauth/token',
            { grant_type: 'refresh_token', refresh_token: refreshToken },
            { authorization: auth },
          );
        return { user, refreshToken: tokens.json().refresh_token as string, refresh };
      };

      test('/oauth/token refuses the refresh of a user disabled since (invalid_grant)', async () => {
        const { user, refreshToken, refresh } = await signedInPair(strict);
        await disableUser(strict.portcullis.ctx, user.id);
        const refused = await refresh(refreshToken);
        assert.equal(refused.statusCode, 400);
        assert.equal(refused.json().error, 'invalid_grant');
      });

      test('the grant itself checks: a user marked disabled with their tokens left alive cannot refresh', async () => {
        const { user, refreshToken, refresh } = await signedInPair(strict);
        const now = strict.clock.now();
        await strict.portcullis.ctx.repos.users.setDisabled(user.id, now, now);
        const refused = await refresh(refreshToken);
        assert.equal(refused.statusCode, 400);
        assert.equal(refused.json().error, 'invalid_grant');
      });

      test('/api/v1/auth/refresh refuses the refresh of a user disabled since', async () => {
        const user = await strict.createUser(undefined, PASSWORD);
        const pair = await strict.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: newIp(),
          payload: { email: user.email, password: PASSWORD },
        });
        assert.equal(pair.statusCode, 200, pair.body);
        await disableUser(strict.portcullis.ctx, user.id);
        const refused = await strict.app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refresh_token: pair.json().refresh_token },
        });
        assert.equal(refused.statusCode, 400);
        assert.equal(refused.json().error, 'invalid_grant');
      });
    });
  });
}
