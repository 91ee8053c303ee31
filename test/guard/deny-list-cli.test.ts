import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { REDIS_URL } from '../helpers/dialects.js';
import { syncClock, tokenRequest } from '../helpers/server-calls.js';
import { REVOCATION_MARGIN_MS, revokedJtiKey } from '../../src/core/tokens/revocation-list.js';
import type { TestServer } from '../helpers/server.js';

// The CLI is a short-lived process whose Redis connection is still opening when it revokes:
// its revocations must reach the deny-list all the same (found by review: they did not).
let site: CliSite;
let server: TestServer;
let redis: Redis;
before(async () => {
  site = await cliSite('sqlite');
  assert.equal(site.run(['setup', '--json']).code, 0);
  server = await site.server({ redisUrl: REDIS_URL });
  redis = new Redis(REDIS_URL);
});
after(async () => {
  redis.disconnect();
  await site.close();
});

test('tokens:revoke from the CLI puts the revoked jti on the Redis deny-list, past exp by the margin', async () => {
  const created = await server.createClient({
    kind: 'client_credentials',
    scopes: ['users:*', 'email'],
  });
  syncClock(server);
  const response = await tokenRequest(
    server,
    { id: created.client.id, client_secret: created.secret! },
    { grant_type: 'client_credentials' },
  );
  assert.equal(response.statusCode, 200, response.body);
  const token = response.json().access_token as string;
  const { jti, exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
    jti: string;
    exp: number;
  };
  const run = site.run(['tokens:revoke', `--id=${created.client.id}`, '--json'], { REDIS_URL });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).revoked_access_tokens, 1);
  assert.doesNotMatch(run.stderr, /deny-list/);
  const ttl = await redis.pttl(revokedJtiKey(jti));
  const untilExp = exp * 1000 - Date.now();
  assert.ok(
    ttl > untilExp && ttl <= untilExp + REVOCATION_MARGIN_MS + 1000,
    `kept past exp by the margin: ttl ${ttl} ms, exp in ${untilExp} ms`,
  );
});
