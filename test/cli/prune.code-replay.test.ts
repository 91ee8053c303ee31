import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { obtainCode } from '../helpers/code-flow.js';
import { syncClock } from '../helpers/server-calls.js';
import type { TestServer } from '../helpers/server.js';

describe('tokens:prune and authorization-code replay', () => {
  let site: CliSite;
  let server: TestServer;
  before(async () => {
    site = await cliSite('sqlite');
    assert.equal(site.run(['setup']).code, 0);
    server = await site.server({ authorizationCodeTtlSeconds: 1 });
  });
  after(() => site.close());

  test('a used, expired code whose tokens live is kept: its replay still revokes them', async () => {
    syncClock(server);
    const flow = await obtainCode(server, 'openid offline_access');
    const first = await flow.exchange();
    assert.equal(first.statusCode, 200, first.body);
    const { access_token, refresh_token } = first.json();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the code expires (real time)
    const pruned = site.json(['tokens:prune', '--force', '--json']);
    assert.equal(pruned.deleted.authorization_codes, 0, 'the code still guards its tokens');
    syncClock(server);
    assert.equal((await flow.exchange()).statusCode, 400);
    assert.equal((await flow.introspect(access_token)).active, false);
    assert.equal((await flow.introspect(refresh_token)).active, false);

    // Once its tokens are gone (revoked by the replay, then pruned), the code goes too.
    const second = site.json(['tokens:prune', '--force', '--json']);
    assert.equal(second.deleted.authorization_codes, 1);
  });
});
