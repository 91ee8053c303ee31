import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { testDialects } from '../helpers/dialects.js';
import type { TestServer } from '../helpers/server.js';
import { postsApi } from '../apikeys/helpers.js';

const UNKNOWN_ID = '01J00000000000000000000000';

for (const dialect of await testDialects()) {
  describe(`api-keys commands through the built CLI (${dialect})`, () => {
    let site: CliSite;
    let server: TestServer;
    let api: FastifyInstance;
    before(async () => {
      site = await cliSite(dialect);
      assert.equal(site.run(['setup']).code, 0);
      server = await site.server();
      api = await postsApi(server);
    });
    after(async () => {
      await api.close();
      await site.close();
    });

    /** The server trusts a cached key for a second: move past it to see CLI changes. */
    const call = async (key: string) => {
      server.clock.advance(2000);
      return api.inject({
        method: 'GET',
        url: '/v1/posts',
        headers: { authorization: `Bearer ${key}` },
      });
    };

    test('create prints the key once; it authenticates; list and show never print it', async () => {
      const org = site.json(['orgs:create', '--name=Org One', '--slug=org-1', '--json']);
      const human = site.run([
        'api-keys:create',
        '--name=Mobile App Production',
        '--scopes=posts:read,posts:write',
        '--tier=pro',
        '--expires-in-days=365',
        '--organization=org-1',
        '--metadata={"team":"ios"}',
      ]);
      assert.equal(human.code, 0, human.stderr);
      const key = /API key\s+(sk_live_[0-9A-Za-z]{32})/.exec(human.stdout)?.[1];
      assert.ok(key, human.stdout);
      assert.match(human.stdout, /shown only once/);
      const response = await call(key);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['x-ratelimit-limit'], '10000');

      const listed = site.json<Array<Record<string, unknown>>>(['api-keys:list', '--json']);
      const row = listed.find((k) => k.name === 'Mobile App Production')!;
      assert.deepEqual(
        [row.scopes, row.tier, row.organization_id, row.metadata, row.environment, row.status],
        [['posts:read', 'posts:write'], 'pro', org.id, { team: 'ios' }, 'live', 'active'],
      );
      const expires = Date.parse(row.expires_at as string) - Date.now();
      assert.ok(Math.abs(expires - 365 * 86_400_000) < 60_000);
      assert.deepEqual(site.json(['api-keys:show', `--id=${row.id}`, '--json']), row);
      for (const output of [site.run(['api-keys:list']).stdout, JSON.stringify(listed)])
        assert.ok(!output.includes(key), 'the key is never shown again');
      assert.ok(
        site.run(['api-keys:list']).stdout.includes(`${key.slice(0, 12)}…`),
        'its prefix is',
      );
    });

    test('rotate keeps both keys working for the grace period; revoke is seen by the server', async () => {
      const created = site.json([
        'api-keys:create',
        '--name=Rotating',
        '--scopes=posts:read',
        '--json',
      ]);
      const rotated = site.json([
        'api-keys:rotate',
        `--id=${created.id}`,
        '--grace-hours=1',
        '--json',
      ]);
      assert.equal(rotated.previous.id, created.id);
      assert.equal(rotated.previous.status, 'rotating');
      for (const key of [created.key, rotated.key]) assert.equal((await call(key)).statusCode, 200);
      const again = site.run(['api-keys:rotate', `--id=${created.id}`]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /^portcullis: API key .* was already rotated/);

      const revoked = site.json(['api-keys:revoke', `--id=${rotated.id}`, '--json']);
      assert.equal(revoked.status, 'revoked');
      const refused = await call(rotated.key);
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().error, 'api_key_revoked');
      assert.equal(
        site.json(['api-keys:revoke', `--id=${rotated.id}`, '--json']).already_revoked,
        true,
      );
    });

    test('usage shows the requests the server counted', async () => {
      const created = site.json([
        'api-keys:create',
        '--name=Counted',
        '--scopes=posts:read',
        '--json',
      ]);
      for (let i = 0; i < 3; i++) assert.equal((await call(created.key)).statusCode, 200);
      await server.portcullis.ctx.apiKeyUsage.flush();
      const usage = site.json(['api-keys:usage', `--id=${created.id}`, '--json']);
      assert.equal(usage.total, 3);
      assert.equal(usage.hourly.length, 1);
      assert.notEqual(usage.last_used_at, null);
    });

    test('prune-expired asks (refuses without a terminal), then deletes dead keys only', async () => {
      const dead = site.json(['api-keys:create', '--name=Dead', '--scopes=', '--json']);
      site.json(['api-keys:revoke', `--id=${dead.id}`, '--json']);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const refused = site.run(['api-keys:prune-expired', '--days=0']);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /Delete \d+ dead API keys?: refusing without --force/);
      assert.equal(site.run(['api-keys:show', `--id=${dead.id}`]).code, 0);
      const pruned = site.json(['api:prune-expired-keys', '--days=0', '--force', '--json']);
      assert.ok(pruned.deleted >= 1);
      const gone = site.run(['api-keys:show', `--id=${dead.id}`]);
      assert.equal(gone.code, 1);
      assert.equal(gone.stderr, `portcullis: API key ${dead.id} not found\n`);
      assert.ok(site.json<unknown[]>(['api-keys:list', '--json']).length >= 2, 'live keys stay');
    });

    test('bad input: exit 2 with one line; unknown id exit 1', () => {
      const cases: Array<[string[], RegExp]> = [
        [['api-keys:create', '--scopes=posts:read'], /--name is required/],
        [
          ['api-keys:create', '--name=x', '--scopes=posts:read:all'],
          /"posts:read:all" is not a scope/,
        ],
        [['api-keys:create', '--name=x', '--tier=gold'], /unknown tier "gold"/],
        [['api-keys:create', '--name=x', '--environment=prod'], /argument 'prod' is invalid/],
        [['api-keys:create', '--name=x', '--metadata=nope'], /--metadata must be a JSON object/],
        [['api-keys:create', '--name=x', '--expires-in-days=0'], /at least 1/],
        [['api-keys:show', '--id=42'], /"42" is not an API key id/],
      ];
      for (const [args, message] of cases) {
        const result = site.run(args);
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, message, args.join(' '));
        assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
      }
      for (const command of [
        'api-keys:show',
        'api-keys:rotate',
        'api-keys:revoke',
        'api-keys:usage',
      ]) {
        const unknown = site.run([command, `--id=${UNKNOWN_ID}`]);
        assert.equal(unknown.code, 1, command);
        assert.equal(unknown.stderr, `portcullis: API key ${UNKNOWN_ID} not found\n`);
      }
    });
  });
}
