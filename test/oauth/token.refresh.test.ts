import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import { obtainCode } from '../helpers/code-flow.js';

for (const dialect of await testDialects()) {
  describe(`refresh token rotation (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ dialect });
    });
    after(() => server.close());

    test('each use rotates; reusing a rotated token revokes the whole family', async () => {
      const flow = await obtainCode(server);
      const first = (await flow.exchange()).json();
      const second = (await flow.refresh(first.refresh_token)).json();
      assert.ok(second.refresh_token && second.refresh_token !== first.refresh_token);
      assert.equal((await flow.introspect(second.access_token)).active, true);

      const reuse = await flow.refresh(first.refresh_token);
      assert.equal(reuse.statusCode, 400);
      assert.equal(reuse.json().error, 'invalid_grant');
      assert.equal(reuse.headers['cache-control'], 'no-store');

      // The thief's reuse killed the family: the legitimate holder's newest tokens die too.
      assert.equal((await flow.introspect(second.refresh_token)).active, false);
      assert.equal((await flow.introspect(second.access_token)).active, false);
      assert.equal((await flow.refresh(second.refresh_token)).json().error, 'invalid_grant');
    });

    test('two concurrent uses of one refresh token give exactly one success', async () => {
      const flow = await obtainCode(server);
      const tokens = (await flow.exchange()).json();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => flow.refresh(tokens.refresh_token)),
      );
      const statuses = results.map((r) => r.statusCode).sort();
      assert.deepEqual(statuses, [200, 400, 400, 400, 400, 400, 400, 400]);
      for (const loser of results.filter((r) => r.statusCode === 400))
        assert.equal(loser.json().error, 'invalid_grant');
    });

    test('a reuse racing the rotation leaves no token of the family live, whatever the interleaving', async () => {
      // The losers revoke the family while the winner may still be writing its tokens.
      for (let round = 0; round < 6; round++) {
        const flow = await obtainCode(server);
        const tokens = (await flow.exchange()).json();
        const results = await Promise.all(
          Array.from({ length: 2 + (round % 3) }, () => flow.refresh(tokens.refresh_token)),
        );
        const winners = results.filter((r) => r.statusCode === 200);
        assert.equal(winners.length, 1);
        const won = winners[0]!.json();
        assert.equal((await flow.introspect(won.access_token)).active, false, `round ${round}`);
        assert.equal((await flow.introspect(won.refresh_token)).active, false, `round ${round}`);
        assert.equal((await flow.introspect(tokens.access_token)).active, false, `round ${round}`);
      }
    });

    test('a refresh may narrow scopes but never widen them', async () => {
      const flow = await obtainCode(server, 'openid email offline_access');
      const tokens = (await flow.exchange()).json();
      const narrowed = await flow.refresh(tokens.refresh_token, { scope: 'openid' });
      assert.equal(narrowed.statusCode, 200);
      assert.equal(narrowed.json().scope, 'openid');
      // The family keeps the original grant: a later refresh may return to it...
      const back = await flow.refresh(narrowed.json().refresh_token, { scope: 'openid email' });
      assert.equal(back.json().scope, 'openid email');
      // ...but not go past it.
      const widened = await flow.refresh(back.json().refresh_token, { scope: 'openid users:read' });
      assert.equal(widened.statusCode, 400);
      assert.equal(widened.json().error, 'invalid_scope');
      assert.equal(
        (await flow.refresh(back.json().refresh_token)).statusCode,
        200,
        'a refused request does not spend the token',
      );
    });

    test('a scope taken from the client since the grant is not renewed', async () => {
      const flow = await obtainCode(server, 'openid email offline_access');
      const tokens = (await flow.exchange()).json();
      await server.portcullis.ctx.repos.clients.update(flow.client.id, {
        scopes: ['openid', 'offline_access'],
        updatedAt: server.clock.now(),
      });
      const refreshed = await flow.refresh(tokens.refresh_token);
      assert.equal(refreshed.statusCode, 200);
      assert.equal(refreshed.json().scope, 'openid offline_access');
      const asked = await flow.refresh(refreshed.json().refresh_token, { scope: 'openid email' });
      assert.equal(asked.statusCode, 400);
      assert.equal(asked.json().error, 'invalid_scope');
    });

    test('an expired refresh token is refused', async () => {
      const flow = await obtainCode(server);
      const tokens = (await flow.exchange()).json();
      server.clock.advance(31 * 86_400_000);
      assert.equal((await flow.refresh(tokens.refresh_token)).json().error, 'invalid_grant');
    });

    test('another client cannot use, or burn, a refresh token', async () => {
      const flow = await obtainCode(server);
      const tokens = (await flow.exchange()).json();
      const other = await obtainCode(server);
      const response = await other.refresh(tokens.refresh_token);
      assert.equal(response.json().error, 'invalid_grant');
      assert.equal(
        (await flow.refresh(tokens.refresh_token)).statusCode,
        200,
        'the owner can still use it',
      );
    });
  });
}
