import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { REDIS_URL, redisAvailable } from '../helpers/dialects.js';
import { tokenRequest } from '../helpers/server-calls.js';
import type { TestServer } from '../helpers/server.js';
import { redisReady } from '../../src/store/redis.js';

const available = await redisAvailable();

describe(
  'CLI changes reach a running server through Redis at once',
  { skip: available ? false : `no Redis at ${REDIS_URL}` },
  () => {
    let site: CliSite;
    let server: TestServer;
    before(async () => {
      site = await cliSite('sqlite');
      assert.equal(site.run(['setup']).code, 0);
      server = await site.server({ redisUrl: REDIS_URL });
      assert.ok(await redisReady(server.portcullis.redis!));
      await new Promise((resolve) => setTimeout(resolve, 200)); // the subscriber is listening
    });
    after(() => site.close());

    test('a new secret from the CLI ends the old one on the server without waiting for its cache', async () => {
      const client = site.json(['create', '--type=client_credentials', '--name=svc', '--json']);
      server.clock.advance(2000);
      assert.equal(
        (await tokenRequest(server, client, { grant_type: 'client_credentials' })).statusCode,
        200,
      );
      // The server's clock stands still from here: its cached client never expires by time.
      const renewed = site.run(['secret', `--id=${client.id}`, '--json'], { REDIS_URL });
      assert.equal(renewed.code, 0, renewed.stderr);
      let status = 200;
      for (let i = 0; i < 100 && status === 200; i++) {
        status = (await tokenRequest(server, client, { grant_type: 'client_credentials' }))
          .statusCode;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(status, 401, 'the old secret is refused');
    });
  },
);
