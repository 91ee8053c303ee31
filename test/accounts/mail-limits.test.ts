import { after, afterEach, before, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';

const PASSWORD = 'a long enough passphrase';
const WINDOW_MINUTES = 60;

for (const dialect of await testDialects()) {
  describe(`mail-sending endpoints are limited per address and per client (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({
        dialect,
        config: {
          mailThrottle: { mailsPerAddress: 2, mailsPerIp: 4, windowMinutes: WINDOW_MINUTES },
        },
      });
    });
    after(() => server.close());
    // rate-limiter-flexible reads the wall clock: it is frozen and moved by hand, never slept.
    beforeEach(() => mock.timers.enable({ apis: ['Date'], now: Date.now() }));
    afterEach(() => mock.timers.reset());

    let counter = 0;
    const unique = (what: string) => `${what}-${++counter}-${process.hrtime.bigint()}`;
    const newIp = () => `198.51.${Math.floor(++counter / 250) % 250}.${(counter % 250) + 1}`;
    const post = (url: string, payload: object, ip = newIp()) =>
      server.app.inject({ method: 'POST', url, payload, remoteAddress: ip });
    const forgot = (email: string, ip?: string) =>
      post('/api/v1/auth/forgot-password', { email }, ip);
    const mailsTo = async (to: string) => {
      await server.portcullis.ctx.mailQueue.drained();
      const folder = join(server.storageDir, 'mail');
      return readdirSync(folder)
        .map((f) => readFileSync(join(folder, f), 'utf8'))
        .filter((m) => m.includes(`To: ${to}`));
    };
    const assertLimited = (response: Awaited<ReturnType<typeof forgot>>) => {
      assert.equal(response.statusCode, 429, response.body);
      assert.equal(response.json().error, 'mail_limit_exceeded');
      assert.equal(response.headers['cache-control'], 'no-store');
      const retryAfter = Number(response.headers['retry-after']);
      assert.ok(retryAfter > 0 && retryAfter <= WINDOW_MINUTES * 60, `Retry-After ${retryAfter}`);
    };

    test('an unknown address is counted like a known one, and both get the same 429', async () => {
      const known = await server.createUser(`${unique('known')}@example.com`, PASSWORD);
      const unknown = `${unique('nobody')}@example.com`;
      for (let i = 0; i < 2; i++) {
        assert.equal((await forgot(known.email)).statusCode, 202);
        assert.equal((await forgot(unknown)).statusCode, 202);
      }
      const knownRefused = await forgot(known.email);
      const unknownRefused = await forgot(unknown);
      assertLimited(knownRefused);
      assert.equal(unknownRefused.statusCode, knownRefused.statusCode);
      assert.equal(unknownRefused.body, knownRefused.body);
      assert.equal(unknownRefused.headers['retry-after'], knownRefused.headers['retry-after']);
      assert.equal((await mailsTo(known.email)).length, 2, 'a refused request sends nothing');
    });

    test('one client asking for many addresses is refused past its limit; other clients are not', async () => {
      const ip = newIp();
      for (let i = 0; i < 4; i++)
        assert.equal((await forgot(`${unique('spray')}@example.com`, ip)).statusCode, 202);
      assertLimited(await forgot(`${unique('spray')}@example.com`, ip));
      assertLimited(
        await post(
          '/api/v1/auth/register',
          { email: `${unique('spray')}@example.com`, password: PASSWORD },
          ip,
        ),
      );
      assert.equal((await forgot(`${unique('spray')}@example.com`)).statusCode, 202);
    });

    test('registration is limited per address, taken or new, and shares the budget with resets', async () => {
      const email = `${unique('signup')}@example.com`;
      const register = () => post('/api/v1/auth/register', { email, password: PASSWORD });
      assert.equal((await register()).statusCode, 202, 'new address');
      assert.equal((await register()).statusCode, 202, 'now taken');
      assertLimited(await register());
      assertLimited(await forgot(email));
    });

    test('the limit ends with its window', async () => {
      const email = `${unique('patient')}@example.com`;
      await forgot(email);
      await forgot(email);
      assertLimited(await forgot(email));
      mock.timers.tick((WINDOW_MINUTES - 1) * 60_000);
      assertLimited(await forgot(email));
      mock.timers.tick(60_000 + 1000);
      assert.equal((await forgot(email)).statusCode, 202);
    });

    test('invitations are limited per invited address', async () => {
      const owner = await server.createUser(`${unique('owner')}@example.com`, PASSWORD);
      const signedIn = await post('/api/v1/auth/login', {
        email: owner.email,
        password: PASSWORD,
      });
      assert.equal(signedIn.statusCode, 200, signedIn.body);
      const auth = { authorization: `Bearer ${signedIn.json().access_token}` };
      const created = await server.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: auth,
        payload: { name: unique('Org') },
      });
      assert.equal(created.statusCode, 201, created.body);
      // The creator's admin role counts in a session switched to the organization.
      const switched = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/switch-org',
        headers: auth,
        payload: { organization_id: created.json().id },
      });
      assert.equal(switched.statusCode, 200, switched.body);
      const inOrg = { authorization: `Bearer ${switched.json().access_token}` };
      const invitee = `${unique('invitee')}@example.com`;
      const invite = () =>
        server.app.inject({
          method: 'POST',
          url: `/api/v1/organizations/${created.json().id}/invitations`,
          headers: inOrg,
          payload: { email: invitee },
          remoteAddress: newIp(),
        });
      assert.equal((await invite()).statusCode, 202);
      assert.equal((await invite()).statusCode, 202);
      assertLimited(await invite());
      assert.equal((await mailsTo(invitee)).length, 2);
    });
  });
}
