import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import pg from 'pg';
import { join } from 'node:path';
import { DEFAULT_SCOPES } from '../../src/config/schema.js';
import { loadSqlite } from '../../src/store/sqlite-library.js';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { REDIS_URL, redisAvailable, testDialects, type TestDialect } from '../helpers/dialects.js';
import type { TestServer } from '../helpers/server.js';
import {
  issueTokens,
  revokeAtServer,
  syncClock,
  type ClientCredentials,
} from '../helpers/server-calls.js';

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
const CHECKS = ['database', 'migrations', 'key files', 'signing key', 'clock'];
const PENDING =
  '8 pending (001-oauth-foundation, 002-authorization-code-replay, 003-login-session-request, 004-admin-cli, 005-api-keys, 006-rbac-organizations, 007-account-tokens, 008-organization-sessions): run portcullis migrate';
const MINUTE_MS = 60_000;
const haveRedis = await redisAvailable();

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
/** `health --json` (it exits 1 when unhealthy, so not through site.json). */
function health(site: CliSite, env: Record<string, string> = {}) {
  const result = site.run(['health', '--json'], env);
  const report = JSON.parse(result.stdout) as { ok: boolean; checks: Check[] };
  return {
    code: result.code,
    report,
    check: (name: string) => report.checks.find((c) => c.name === name),
  };
}

const failing = (report: { checks: Check[] }) =>
  report.checks.filter((c) => !c.ok).map((c) => c.name);

/** The tables of a SQLite file; none when the file does not exist. */
function sqliteTables(path: string): string[] {
  if (!existsSync(path)) return [];
  const SQLite = loadSqlite();
  const file = new SQLite(path, { readonly: true });
  try {
    return (
      file.prepare("select name from sqlite_master where type = 'table'").all() as Array<{
        name: string;
      }>
    ).map((r) => r.name);
  } finally {
    file.close();
  }
}

/** The tables of a site's database (SQLite file, or the PostgreSQL database's public schema). */
async function tables(site: CliSite): Promise<string[]> {
  if (site.dialect === 'sqlite') return sqliteTables(join(site.cwd, 'storage', 'portcullis.db'));
  const client = new pg.Client({ connectionString: site.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public'",
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A site after `setup`, with the kid setup generated. */
async function setUpSite(dialect: TestDialect): Promise<{ site: CliSite; kid: string }> {
  const site = await cliSite(dialect);
  const made = site.json(['setup', '--json']);
  return { site, kid: made.signing_key.kid as string };
}

for (const dialect of await testDialects()) {
  describe(`health, status and stats through the built CLI (${dialect})`, () => {
    let site: CliSite;
    let kid: string;
    before(async () => {
      ({ site, kid } = await setUpSite(dialect));
    });
    after(() => site.close());

    test('after setup, health passes every check', () => {
      const human = site.run(['health']);
      assert.equal(human.code, 0, human.stdout + human.stderr);
      for (const name of CHECKS) {
        assert.match(human.stdout, new RegExp(`^  ok    ${name.padEnd(13)}\\S`, 'm'), name);
      }
      assert.doesNotMatch(human.stdout, /FAIL/);
      assert.match(human.stdout, /\nHealthy\.\n$/);

      const { code, report } = health(site);
      assert.equal(code, 0);
      assert.deepEqual(Object.keys(report).sort(), ['checks', 'ok']);
      assert.equal(report.ok, true);
      assert.deepEqual(
        report.checks.map((c) => [c.name, c.ok]),
        CHECKS.map((name) => [name, true]),
      );
      for (const check of report.checks)
        assert.deepEqual(Object.keys(check).sort(), ['detail', 'name', 'ok']);
      const detail = (name: string) => report.checks.find((c) => c.name === name)!.detail;
      if (dialect === 'sqlite') {
        assert.equal(
          detail('database'),
          `sqlite ${join(realpathSync(site.cwd), 'storage', 'portcullis.db')}`,
        );
      } else {
        assert.equal(detail('database'), `postgres ${site.env.DATABASE_URL}`);
      }
      assert.equal(detail('migrations'), 'up to date');
      assert.equal(detail('key files'), 'storage/oauth2 (private 0600, public 0644)');
      assert.equal(detail('signing key'), `RS256 ${kid}`);
      assert.ok(
        Math.abs(Date.parse(detail('clock')) - Date.now()) < MINUTE_MS,
        'the clock it read',
      );
    });

    test('a database where nothing ran yet: the pending migrations named, and nothing created', async () => {
      const empty = await cliSite(dialect);
      try {
        if (dialect === 'sqlite') {
          // A database file with no table yet (PostgreSQL: the fresh, empty database).
          mkdirSync(join(empty.cwd, 'storage'), { recursive: true });
          writeFileSync(join(empty.cwd, 'storage', 'portcullis.db'), '');
        }
        const human = empty.run(['health']);
        assert.equal(human.code, 1);
        assert.match(human.stdout, new RegExp(`^  FAIL  migrations   ${escape(PENDING)}$`, 'm'));
        assert.match(human.stdout, /\nUnhealthy: see FAIL above\.\n$/);
        const { code, report, check } = health(empty);
        assert.equal(code, 1);
        assert.equal(report.ok, false);
        assert.equal(check('database')!.ok, true);
        assert.deepEqual(check('migrations'), { name: 'migrations', ok: false, detail: PENDING });
        assert.deepEqual(check('signing key'), {
          name: 'signing key',
          ok: false,
          detail: 'not checked: schema not current',
        });
        assert.equal(check('key files')!.ok, false);

        // health did not migrate or make keys: still pending, no table, no key directory.
        assert.deepEqual(health(empty).check('migrations'), {
          name: 'migrations',
          ok: false,
          detail: PENDING,
        });
        assert.deepEqual(await tables(empty), [], 'no table created');
        assert.equal(existsSync(join(empty.cwd, 'storage', 'oauth2')), false, 'no key written');
        const status = JSON.parse(empty.run(['status', '--json']).stdout);
        assert.deepEqual(status.migrations, { name: 'migrations', ok: false, detail: PENDING });
        assert.equal(status.counts, null);
        assert.equal(status.healthy, false);
        assert.deepEqual(await tables(empty), [], 'status made none either');
      } finally {
        await empty.close();
      }
    });

    test('status and stats: the shape, and counts matching what is in the database', async () => {
      const server = await site.server();
      const shortLived = await site.server({ accessTokenExpireMinutes: 1 });
      const cc = (name: string): ClientCredentials =>
        site.json(['create', '--type=client_credentials', `--name=${name}`, '--json']);
      const passwordClient = (name: string): ClientCredentials =>
        site.json(['create', '--password-client', `--name=${name}`, '--json']);
      const svc = cc('Svc');
      const app = passwordClient('App');
      const gone = passwordClient('Gone');
      const [ada, bob] = [await server.createUser(), await server.createUser()];

      // Svc: one expired token (minted two minutes ago for one minute), one revoked, two live.
      shortLived.clock.set(Date.now() - 2 * MINUTE_MS);
      await issueTokens(shortLived, svc, { grant_type: 'client_credentials' });
      syncClock(server);
      await revokeAtServer(
        server,
        svc,
        (await issueTokens(server, svc, { grant_type: 'client_credentials' })).access_token,
      );
      await issueTokens(server, svc, { grant_type: 'client_credentials' });
      await issueTokens(server, svc, { grant_type: 'client_credentials' });
      // App: a family rotated once (two live access tokens, a consumed refresh token it keeps).
      const granted = await issueTokens(server, app, {
        grant_type: 'password',
        username: ada.email,
        password: ada.password,
      });
      await issueTokens(server, app, {
        grant_type: 'refresh_token',
        refresh_token: granted.refresh_token!,
      });
      // Gone: a family, then the client revoked (its access token and family with it).
      await issueTokens(server, gone, {
        grant_type: 'password',
        username: bob.email,
        password: bob.password,
      });
      assert.equal(site.json(['revoke', `--id=${gone.id}`, '--json']).revoked_access_tokens, 1);

      const issuer = 'https://auth.example.test';
      const result = site.run(['status', '--json'], { PORTCULLIS_ISSUER: issuer });
      assert.equal(result.code, 0, result.stderr);
      const status = JSON.parse(result.stdout);
      assert.deepEqual(Object.keys(status), [
        'version',
        'issuer',
        'database',
        'migrations',
        'signing_key',
        'redis',
        'counts',
        'healthy',
      ]);
      assert.equal(status.version, PACKAGE_VERSION);
      assert.equal(status.issuer, issuer, 'the configured issuer');
      assert.equal(site.json(['status', '--json']).issuer, 'http://127.0.0.1:8000', 'the default');
      const checks = health(site).report.checks;
      assert.deepEqual(
        status.database,
        checks.find((c) => c.name === 'database'),
      );
      assert.equal(status.database.ok, true);
      assert.deepEqual(status.migrations, { name: 'migrations', ok: true, detail: 'up to date' });
      assert.deepEqual(status.signing_key, {
        name: 'signing key',
        ok: true,
        detail: `RS256 ${kid}`,
      });
      assert.equal(status.redis, null, 'Redis not configured');
      const scopes = Object.keys(DEFAULT_SCOPES).length;
      assert.deepEqual(status.counts, {
        clients: 4, // personal access, password grant (setup), Svc, App
        revoked_clients: 1, // Gone
        users: 2,
        scopes,
        active_access_tokens: 4, // Svc's two, App's two
        active_refresh_families: 1, // App's
      });
      assert.equal(status.healthy, true);

      assert.deepEqual(site.json(['stats', '--json']), {
        clients: 4,
        revoked_clients: 1,
        users: 2,
        scopes,
        access_tokens: { active: 4, expired: 1, revoked: 2 },
        active_refresh_families: 1,
        signing_keys: 1,
        prunable: {
          access_tokens: 3, // the expired one and the two revoked
          refresh_tokens: 1, // Gone's (App's consumed one guards its live family)
          refresh_token_families: 1, // Gone's
          authorization_codes: 0,
          login_sessions: 0,
        },
      });

      const human = site.run(['status']);
      assert.equal(human.code, 0, human.stderr);
      assert.match(
        human.stdout,
        new RegExp(`^Portcullis ${PACKAGE_VERSION.replace(/\./g, '\\.')}$`, 'm'),
      );
      assert.match(human.stdout, /^\s+Clients\s+4 active, 1 revoked$/m);
      assert.match(human.stdout, /^\s+Tokens\s+4 active access tokens, 1 refresh token family$/m);
      assert.match(human.stdout, /^\s+Redis\s+not configured/m);
      const aliased = site.run(['oauth2', 'status']);
      assert.equal(aliased.code, 0, aliased.stderr);
      assert.equal(aliased.stdout, human.stdout, 'oauth2 status is status');
    });
  });
}

describe('health failures through the built CLI (sqlite)', () => {
  let site: CliSite;
  let kid: string;
  before(async () => {
    ({ site, kid } = await setUpSite('sqlite'));
  });
  after(() => site.close());

  test('on a folder where nothing ran yet: unhealthy, and health creates nothing', async () => {
    const empty = await cliSite('sqlite');
    try {
      const first = health(empty);
      assert.equal(first.code, 1);
      assert.equal(first.report.ok, false);
      assert.deepEqual(first.check('database'), {
        name: 'database',
        ok: false,
        detail: `${join(realpathSync(empty.cwd), 'storage', 'portcullis.db')} does not exist: run portcullis setup`,
      });
      assert.equal(first.check('migrations')!.ok, false);
      assert.equal(first.check('signing key')!.ok, false);
      assert.equal(first.check('key files')!.ok, false);
      assert.match(
        first.check('key files')!.detail,
        /oauth-private\.key missing \(run portcullis keys:generate\)/,
      );
      const human = empty.run(['health']);
      assert.equal(human.code, 1);
      assert.match(human.stdout, /^  FAIL  database     .*does not exist: run portcullis setup$/m);
      assert.match(human.stdout, /\nUnhealthy: see FAIL above\.\n$/);
      const status = JSON.parse(empty.run(['status', '--json']).stdout);
      assert.equal(status.healthy, false);
      assert.equal(status.counts, null, 'no counts without a current schema');

      // Nothing was made: no key, no table (the database file is absent, or holds no table).
      assert.equal(existsSync(join(empty.cwd, 'storage', 'oauth2')), false, 'no key written');
      const path = join(empty.cwd, 'storage', 'portcullis.db');
      assert.equal(existsSync(path), false, 'no database file created');
      const again = health(empty);
      const withoutClock = (r: { checks: Check[] }) => r.checks.filter((c) => c.name !== 'clock');
      assert.deepEqual(withoutClock(again.report), withoutClock(first.report), 'the same report');
    } finally {
      await empty.close();
    }
  });

  test('a private key readable by others fails; chmod 600 makes it pass again', () => {
    const privatePath = join(site.cwd, 'storage', 'oauth2', 'oauth-private.key');
    chmodSync(privatePath, 0o644);
    try {
      const human = site.run(['health']);
      assert.equal(human.code, 1);
      assert.match(human.stdout, /^  FAIL  key files    .*readable by others/m);
      const { code, report, check } = health(site);
      assert.equal(code, 1);
      assert.deepEqual(failing(report), ['key files']);
      assert.equal(
        check('key files')!.detail,
        'storage/oauth2/oauth-private.key is 0644, readable by others (chmod 600)',
      );
    } finally {
      chmodSync(privatePath, 0o600);
    }
    const restored = health(site);
    assert.equal(restored.code, 0);
    assert.equal(restored.report.ok, true);
  });

  test(
    'Redis: a URL nothing listens on fails the redis check; a live Redis passes',
    { skip: !haveRedis && 'no Redis' },
    () => {
      const down = health(site, { REDIS_URL: 'redis://127.0.0.1:1' });
      assert.equal(down.code, 1);
      assert.deepEqual(failing(down.report), ['redis']);
      assert.match(down.check('redis')!.detail, /^unreachable: /);
      const downStatus = JSON.parse(
        site.run(['status', '--json'], { REDIS_URL: 'redis://127.0.0.1:1' }).stdout,
      );
      assert.equal(downStatus.redis.ok, false);
      assert.equal(downStatus.healthy, false);

      const up = health(site, { REDIS_URL });
      assert.deepEqual(
        up.report.checks.map((c) => c.name),
        ['database', 'migrations', 'key files', 'signing key', 'redis', 'clock'],
      );
      assert.deepEqual(up.check('redis'), { name: 'redis', ok: true, detail: REDIS_URL });
      assert.equal(up.code, 0);
      const human = site.run(['health'], { REDIS_URL });
      assert.equal(human.code, 0);
      assert.match(human.stdout, /^  ok    redis        /m);
      const upStatus = JSON.parse(site.run(['status', '--json'], { REDIS_URL }).stdout);
      assert.deepEqual(upStatus.redis, { name: 'redis', ok: true, detail: REDIS_URL });
      assert.equal(upStatus.healthy, true);
    },
  );

  test('a key file that is not the active key fails, naming both kids', () => {
    const privatePath = join(site.cwd, 'storage', 'oauth2', 'oauth-private.key');
    const oldPem = readFileSync(privatePath, 'utf8');
    const rotated = site.json(['keys:generate', '--force', '--json']);
    assert.equal(rotated.previous_kid, kid);
    assert.notEqual(rotated.kid, kid);
    assert.equal(health(site).code, 0, 'the new key file is the active key');

    writeFileSync(privatePath, oldPem);
    const { code, report, check } = health(site);
    assert.equal(code, 1);
    assert.deepEqual(failing(report), ['signing key']);
    assert.equal(
      check('signing key')!.detail,
      `the key file holds ${kid}, but ${rotated.kid} is the active key`,
    );
    const human = site.run(['health']);
    assert.equal(human.code, 1);
    assert.match(human.stdout, new RegExp(`FAIL  signing key  .*${kid}.*${rotated.kid}`));
  });
});
