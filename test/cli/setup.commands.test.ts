import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { testDialects } from '../helpers/dialects.js';
import { basic, postForm } from '../helpers/oauth-inject.js';
import type { TestServer } from '../helpers/server.js';
import {
  introspectActive,
  syncClock,
  tokenRequest,
  type ClientCredentials,
} from '../helpers/server-calls.js';

const MIGRATIONS = [
  '001-oauth-foundation',
  '002-authorization-code-replay',
  '003-login-session-request',
  '004-admin-cli',
  '005-api-keys',
  '006-rbac-organizations',
  '007-account-tokens',
  '008-organization-sessions',
];
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const MINUTE_MS = 60_000;

const mode = (path: string) => statSync(path).mode & 0o777;

async function clientCredentials(server: TestServer, client: ClientCredentials): Promise<string> {
  const response = await tokenRequest(server, client, { grant_type: 'client_credentials' });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().access_token as string;
}

for (const dialect of await testDialects()) {
  describe(`setup, install and purge through the built CLI (${dialect})`, () => {
    const sites: CliSite[] = [];
    after(async () => {
      for (const site of sites) await site.close();
    });
    const freshSite = async () => {
      const site = await cliSite(dialect);
      sites.push(site);
      return site;
    };
    const clientIds = (site: CliSite) =>
      (site.json(['list', '--json']) as Array<{ id: string }>).map((c) => c.id).sort();

    test('setup on an empty folder makes the schema, the key pair and both default clients; again, nothing', async () => {
      const site = await freshSite();
      const first = site.run(['setup', '--json']);
      assert.equal(first.code, 0, first.stderr);
      const made = JSON.parse(first.stdout);
      const storage = join(realpathSync(site.cwd), 'storage');
      assert.equal(made.storage, storage);
      if (dialect === 'sqlite') assert.equal(made.database, `sqlite ${storage}/portcullis.db`);
      else assert.match(made.database, /^postgres postgres:\/\/.*\/portcullis_[0-9a-f]+$/);
      assert.deepEqual(made.migrations_applied, MIGRATIONS);

      // Both dialects keep the key pair in the working directory's storage/.
      const privatePath = join(site.cwd, 'storage', 'oauth2', 'oauth-private.key');
      const publicPath = join(site.cwd, 'storage', 'oauth2', 'oauth-public.key');
      assert.equal(made.signing_key.generated, true);
      assert.equal(made.signing_key.alg, 'RS256');
      assert.equal(made.signing_key.private_key, 'storage/oauth2/oauth-private.key');
      assert.equal(mode(privatePath), 0o600, 'private key readable by the owner only');
      assert.equal(mode(publicPath), 0o644);
      assert.match(readFileSync(privatePath, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
      const keys = site.json(['keys', '--json']);
      assert.equal(keys.local_kid, made.signing_key.kid, 'the generated key is the one on file');
      assert.equal(keys.signing_kid, made.signing_key.kid, 'and the one that signs');

      assert.deepEqual(made.personal_access_client, {
        id: made.personal_access_client.id,
        name: 'Personal Access Client',
        type: 'personal_access',
        created: true,
        client_secret: null,
      });
      assert.match(made.personal_access_client.id, ULID);
      assert.deepEqual(made.password_client, {
        id: made.password_client.id,
        name: 'Password Grant Client',
        type: 'password',
        created: true,
        client_secret: made.password_client.client_secret,
      });
      assert.match(made.password_client.client_secret, SECRET);
      const ids = clientIds(site);
      assert.deepEqual(ids, [made.personal_access_client.id, made.password_client.id].sort());

      // The secret shown is the password client's real secret.
      const server = await site.server();
      const user = await server.createUser();
      const granted = await tokenRequest(
        server,
        { id: made.password_client.id, client_secret: made.password_client.client_secret },
        { grant_type: 'password', username: user.email, password: user.password },
      );
      assert.equal(granted.statusCode, 200, granted.body);

      const privatePem = readFileSync(privatePath, 'utf8');
      const again = site.json(['setup', '--json']);
      assert.deepEqual(again.migrations_applied, []);
      assert.deepEqual(again.signing_key, { generated: false });
      assert.deepEqual(again.personal_access_client, {
        ...made.personal_access_client,
        created: false,
      });
      assert.deepEqual(again.password_client, {
        ...made.password_client,
        created: false,
        client_secret: null,
      });
      assert.equal(readFileSync(privatePath, 'utf8'), privatePem, 'the key is kept');
      assert.equal(mode(privatePath), 0o600);
      assert.deepEqual(clientIds(site), ids, 'no client made twice');

      const human = site.run(['setup']);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /^\s+Migrations\s+up to date$/m);
      assert.match(human.stdout, /^\s+Signing key\s+kept storage\/oauth2\/oauth-private\.key$/m);
      assert.match(human.stdout, /^\s+exists\s+Password Grant Client\s/m);
      assert.ok(!human.stdout.includes(made.password_client.client_secret));
      assert.deepEqual(clientIds(site), ids);
    });

    test('setup --no-password-client makes only the personal access client; install adds the other once', async () => {
      const site = await freshSite();
      const made = site.json(['setup', '--no-password-client', '--json']);
      assert.equal(made.personal_access_client.created, true);
      assert.equal(made.password_client, null);
      const listed = site.json(['list', '--json']) as Array<{ id: string; type: string }>;
      assert.deepEqual(
        listed.map((c) => [c.id, c.type]),
        [[made.personal_access_client.id, 'personal_access']],
      );

      const installed = site.json(['install', '--json']);
      assert.deepEqual(installed.personal_access_client, {
        ...made.personal_access_client,
        created: false,
      });
      assert.equal(installed.password_client.created, true, 'only what was missing');
      assert.match(installed.password_client.client_secret, SECRET);
      assert.equal(clientIds(site).length, 2);
    });

    test('install is idempotent, and passport:install is the same command', async () => {
      const site = await freshSite();
      const first = site.json(['install', '--json']);
      assert.deepEqual(Object.keys(first).sort(), ['password_client', 'personal_access_client']);
      assert.equal(first.personal_access_client.created, true);
      assert.equal(first.personal_access_client.client_secret, null);
      assert.equal(first.password_client.created, true);
      assert.equal(first.password_client.type, 'password');
      assert.match(first.password_client.client_secret, SECRET);
      const ids = clientIds(site);
      assert.deepEqual(ids, [first.personal_access_client.id, first.password_client.id].sort());

      const second = site.json(['install', '--json']);
      assert.deepEqual(second, {
        personal_access_client: { ...first.personal_access_client, created: false },
        password_client: { ...first.password_client, created: false, client_secret: null },
      });
      assert.deepEqual(site.json(['passport:install', '--json']), second);
      assert.deepEqual(clientIds(site), ids, 'no client made twice');
    });

    test('purge deletes revoked clients and dead tokens only with --force; --all deletes every client', async () => {
      const site = await freshSite();
      assert.equal(site.run(['setup', '--json']).code, 0);
      const server = await site.server();
      const shortLived = await site.server({ accessTokenExpireMinutes: 1 });
      const cc = (name: string): ClientCredentials =>
        site.json(['create', '--type=client_credentials', `--name=${name}`, '--json']);
      const keep = cc('Keep');
      const doomed = cc('Doomed');
      const app: ClientCredentials = site.json([
        'create',
        '--password-client',
        '--name=App',
        '--json',
      ]);
      const user = await server.createUser();

      // Keep: one expired token (minted two minutes ago for one minute), one revoked, one live.
      shortLived.clock.set(Date.now() - 2 * MINUTE_MS);
      await clientCredentials(shortLived, keep);
      syncClock(server);
      const revokedToken = await clientCredentials(server, keep);
      const revoked = await postForm(
        server.app,
        '/oauth/revoke',
        { token: revokedToken },
        { authorization: basic(keep.id, keep.client_secret) },
      );
      assert.equal(revoked.statusCode, 200);
      const live = await clientCredentials(server, keep);
      const granted = (
        await tokenRequest(server, app, {
          grant_type: 'password',
          username: user.email,
          password: user.password,
        })
      ).json();
      const doomedToken = await clientCredentials(server, doomed);
      assert.equal(site.json(['revoke', `--id=${doomed.id}`, '--json']).revoked_access_tokens, 1);

      const refused = site.run(['purge']);
      assert.equal(refused.code, 2);
      assert.equal(
        refused.stderr,
        'portcullis: Delete 1 revoked client with their data, and 3 expired or revoked rows: refusing without --force (no terminal to confirm)\n',
      );
      assert.ok(
        site.json(['list', '--revoked', '--json']).some((c: { id: string }) => c.id === doomed.id),
        'the revoked client is still there',
      );
      assert.equal(site.json(['tokens', `--id=${keep.id}`, '--json']).tokens.length, 3);
      assert.equal(site.json(['tokens', `--id=${doomed.id}`, '--json']).tokens.length, 1);

      const purged = site.json(['purge', '--force', '--json']);
      assert.deepEqual(purged, {
        clients: 1,
        signing_keys: 0,
        pruned: {
          // Keep's expired and revoked ones, and Doomed's (revoked with Doomed, pruned first so
          // deleting the client cascades over nothing).
          access_tokens: 3,
          refresh_tokens: 0,
          refresh_token_families: 0,
          authorization_codes: 0,
          login_sessions: 0,
        },
      });
      const gone = site.run(['show', `--id=${doomed.id}`]);
      assert.equal(gone.code, 1);
      assert.equal(gone.stderr, `portcullis: client ${doomed.id} not found\n`);
      const stats = site.json(['stats', '--json']);
      assert.deepEqual(
        stats.access_tokens,
        { active: 2, expired: 0, revoked: 0 },
        'Keep’s live token and App’s: nothing dead left, Doomed’s token included',
      );
      assert.equal(stats.revoked_clients, 0);
      assert.equal(stats.active_refresh_families, 1);

      // Active clients and their live tokens are untouched and keep working.
      const keptTokens = site.json(['tokens', `--id=${keep.id}`, '--json']).tokens;
      assert.equal(keptTokens.length, 1);
      assert.equal(keptTokens[0].status, 'active');
      syncClock(server);
      assert.equal(await introspectActive(server, keep, live), true);
      assert.equal(await introspectActive(server, keep, granted.access_token), true);
      assert.equal(await introspectActive(server, keep, doomedToken), false);
      const refreshed = await tokenRequest(server, app, {
        grant_type: 'refresh_token',
        refresh_token: granted.refresh_token,
      });
      assert.equal(refreshed.statusCode, 200, refreshed.body);
      assert.equal((await clientCredentials(server, keep)).length > 0, true);

      const idle = site.run(['purge', '--force']);
      assert.equal(idle.code, 0, idle.stderr);
      assert.equal(idle.stdout, 'Purged: 0 clients, 0 retired signing keys, no dead tokens.\n');

      // --all: every client, active ones included, with every token.
      const before = site.json(['list', '--json']) as Array<{ id: string; type: string }>;
      assert.equal(before.length, 4, 'personal access, password grant, Keep, App');
      const personal = before.find((c) => c.type === 'personal_access')!;
      const refusedAll = site.run(['purge', '--all']);
      assert.equal(refusedAll.code, 2);
      assert.match(refusedAll.stderr, /Delete ALL 4 clients.*refusing without --force/);
      const all = site.json(['purge', '--all', '--force', '--json']);
      assert.equal(all.clients, 4);
      const db = server.portcullis.db;
      const rows = async (table: 'clients' | 'access_tokens' | 'refresh_token_families') =>
        (await db.selectFrom(table).selectAll().execute()).length;
      assert.equal(await rows('clients'), 0, 'no client left right after purge --all');
      assert.equal(await rows('access_tokens'), 0);
      assert.equal(await rows('refresh_token_families'), 0);
      // Every CLI command opens the installation "prepared": it recreates the personal access
      // client when none exists. So the next `list` shows one: new, not the one purged.
      const remaining = site.json(['list', '--json']) as Array<{
        id: string;
        type: string;
        name: string;
      }>;
      assert.equal(remaining.length, 1);
      assert.equal(remaining[0]!.type, 'personal_access');
      assert.equal(remaining[0]!.name, 'Personal Access Client');
      assert.notEqual(remaining[0]!.id, personal.id);
      assert.equal(await rows('clients'), 1);
      syncClock(server);
      const dead = await tokenRequest(server, keep, { grant_type: 'client_credentials' });
      assert.equal(dead.statusCode, 401, 'a purged client cannot authenticate');
    });
  });
}
