import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigInput } from '../../src/config/schema.js';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { testDialects } from '../helpers/dialects.js';
import type { TestServer } from '../helpers/server.js';
import {
  introspectActive,
  revokeAtServer,
  syncClock,
  type ClientCredentials,
  tokenRequest,
} from '../helpers/server-calls.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** One row of `tokens --json`. */
interface TokenRow {
  jti: string;
  kind: string;
  grant_type: string | null;
  user_id: string | null;
  name: string | null;
  scopes: string[];
  status: 'active' | 'expired' | 'revoked';
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** An access token issued through the server, with what the test knows about it. */
interface Issued {
  token: string;
  jti: string;
  /** The issuing server's clock when it was issued (its `created_at`). */
  at: number;
  lifetimeMs: number;
}

const jtiOf = (jwt: string): string =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).jti as string;

const iso = (ms: number) => new Date(ms).toISOString();
const utcDay = (ms: number) => iso(ms).slice(0, 10);

async function clientCredentials(
  server: TestServer,
  client: ClientCredentials,
  scope = 'users:read',
): Promise<Issued> {
  const at = server.clock.now();
  const response = await tokenRequest(server, client, { grant_type: 'client_credentials', scope });
  assert.equal(response.statusCode, 200, response.body);
  const token = response.json().access_token as string;
  return {
    token,
    jti: jtiOf(token),
    at,
    lifetimeMs: server.config.accessTokenExpireMinutes * MINUTE_MS,
  };
}

/** Password grant (scope api-keys:read): an access token and the first refresh token of a family. */
async function passwordGrant(
  server: TestServer,
  client: ClientCredentials,
  user: { email: string; password: string },
): Promise<Issued & { refresh: string }> {
  const at = server.clock.now();
  const response = await tokenRequest(server, client, {
    grant_type: 'password',
    username: user.email,
    password: user.password,
    scope: 'api-keys:read',
  });
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json();
  assert.equal(typeof body.refresh_token, 'string', 'a password client gets a refresh token');
  return {
    token: body.access_token,
    jti: jtiOf(body.access_token),
    at,
    lifetimeMs: server.config.accessTokenExpireMinutes * MINUTE_MS,
    refresh: body.refresh_token,
  };
}

function refreshGrant(server: TestServer, client: ClientCredentials, refreshToken: string) {
  return tokenRequest(server, client, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** Rotates a refresh token: the new access token and the family's next refresh token. */
async function rotate(
  server: TestServer,
  client: ClientCredentials,
  refreshToken: string,
): Promise<Issued & { refresh: string }> {
  const at = server.clock.now();
  const response = await refreshGrant(server, client, refreshToken);
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json();
  return {
    token: body.access_token,
    jti: jtiOf(body.access_token),
    at,
    lifetimeMs: server.config.accessTokenExpireMinutes * MINUTE_MS,
    refresh: body.refresh_token,
  };
}

for (const dialect of await testDialects()) {
  describe(`token commands through the built CLI (${dialect})`, () => {
    const sites: CliSite[] = [];
    after(async () => {
      for (const site of sites) await site.close();
    });

    /**
     * A fresh installation set up by the CLI, with two in-process servers on its database:
     * `server` issues hour-long tokens, `shortLived` one-minute tokens whose clock is set back
     * to mint tokens the CLI (system clock) sees as expired.
     */
    async function installation(): Promise<{
      site: CliSite;
      server: TestServer;
      shortLived: TestServer;
      cc(name: string): ClientCredentials;
      passwordClient(name: string): ClientCredentials;
      expired(client: ClientCredentials): Promise<Issued>;
    }> {
      const site = await cliSite(dialect);
      sites.push(site);
      const setup = site.run(['setup', '--json']);
      assert.equal(setup.code, 0, setup.stderr);
      const server = await site.server();
      const shortLived = await site.server({ accessTokenExpireMinutes: 1 } satisfies ConfigInput);
      return {
        site,
        server,
        shortLived,
        cc: (name) =>
          site.json([
            'create',
            '--type=client_credentials',
            `--name=${name}`,
            '--scopes=users:read',
            '--json',
          ]),
        passwordClient: (name) =>
          site.json(['create', '--password-client', `--name=${name}`, '--json']),
        async expired(client) {
          // Issued two minutes ago for one minute: expired a minute ago by the system clock.
          shortLived.clock.set(Date.now() - 2 * MINUTE_MS);
          return clientCredentials(shortLived, client);
        },
      };
    }

    test('tokens lists a client’s tokens newest first, with grant, user, scopes and status, never the token', async () => {
      const { site, server, cc, passwordClient, expired } = await installation();
      const svc = cc('Lister');
      const old = await expired(svc);
      syncClock(server);
      const revoked = await clientCredentials(server, svc);
      await revokeAtServer(server, svc, revoked.token);
      const active = await clientCredentials(server, svc);

      const listed = site.json(['tokens', `--id=${svc.id}`, '--json']) as {
        client: { id: string; name: string };
        tokens: TokenRow[];
      };
      assert.deepEqual(listed.client, { id: svc.id, name: 'Lister' });
      assert.deepEqual(
        listed.tokens.map((t) => [t.jti, t.status]),
        [
          [active.jti, 'active'],
          [revoked.jti, 'revoked'],
          [old.jti, 'expired'],
        ],
        'newest first, each with its status',
      );
      assert.deepEqual(Object.keys(listed.tokens[0]!).sort(), [
        'created_at',
        'expires_at',
        'grant_type',
        'jti',
        'kind',
        'name',
        'revoked_at',
        'scopes',
        'status',
        'user_id',
      ]);
      for (const [row, issued] of [
        [listed.tokens[0]!, active],
        [listed.tokens[1]!, revoked],
        [listed.tokens[2]!, old],
      ] as const) {
        assert.equal(row.kind, 'access');
        assert.equal(row.grant_type, 'client_credentials');
        assert.equal(row.user_id, null, 'a client credentials token has no user');
        assert.deepEqual(row.scopes, ['users:read']);
        assert.equal(row.created_at, iso(issued.at));
        // The JWT's `exp`: whole seconds.
        assert.equal(row.expires_at, iso(Math.floor(issued.at / 1000) * 1000 + issued.lifetimeMs));
      }
      assert.equal(listed.tokens[0]!.revoked_at, null);
      assert.notEqual(listed.tokens[1]!.revoked_at, null);

      // A password grant and its rotation: the grant that minted each token, and the user.
      const app = passwordClient('Mobile');
      const user = await server.createUser();
      syncClock(server);
      const first = await passwordGrant(server, app, user);
      const second = await rotate(server, app, first.refresh);
      const appTokens = site.run(['tokens', `--id=${app.id}`, '--json']);
      assert.equal(appTokens.code, 0, appTokens.stderr);
      const rows = JSON.parse(appTokens.stdout).tokens as TokenRow[];
      assert.deepEqual(
        rows.map((t) => [t.jti, t.grant_type, t.user_id, t.status]),
        [
          [second.jti, 'refresh_token', user.id, 'active'],
          [first.jti, 'password', user.id, 'active'],
        ],
      );
      assert.deepEqual(rows[0]!.scopes, ['api-keys:read']);

      for (const secret of [
        active.token,
        revoked.token,
        old.token,
        first.token,
        second.token,
        first.refresh,
        second.refresh,
        svc.client_secret,
        app.client_secret,
      ]) {
        assert.ok(!appTokens.stdout.includes(secret), 'no token or secret in the listing');
        assert.ok(!JSON.stringify(listed).includes(secret), 'no token or secret in the listing');
      }

      const one = site.json(['tokens', `--id=${svc.id}`, '--limit=1', '--json']);
      assert.deepEqual(
        one.tokens.map((t: TokenRow) => t.jti),
        [active.jti],
        '--limit=1: the newest only',
      );

      const human = site.run(['tokens', `--id=${svc.id}`]);
      assert.equal(human.code, 0, human.stderr);
      assert.match(
        human.stdout,
        new RegExp(`^Tokens of Lister \\(${svc.id}\\), newest first:$`, 'm'),
      );
      assert.match(
        human.stdout,
        new RegExp(`^\\s*${active.jti}\\s+client_credentials\\s+-\\s+users:read\\s+active\\s`, 'm'),
      );
      assert.match(
        human.stdout,
        new RegExp(`^\\s*${old.jti}\\s+client_credentials\\s+-\\s+users:read\\s+expired\\s`, 'm'),
      );
      assert.ok(!human.stdout.includes(active.token), 'no token in the table');
    });

    test('tokens:revoke ends every token and refresh family of a client; the client keeps working', async () => {
      const { site, server, cc, passwordClient } = await installation();
      const svc = cc('Service');
      const probe = cc('Probe');
      const app = passwordClient('App');
      const user = await server.createUser();
      syncClock(server);
      const a1 = await clientCredentials(server, svc);
      const a2 = await clientCredentials(server, svc);
      const granted = await passwordGrant(server, app, user);
      const other = await clientCredentials(server, probe);
      for (const token of [a1.token, a2.token, granted.token, granted.refresh]) {
        assert.equal(await introspectActive(server, probe, token), true, 'active before');
      }

      const revoked = site.json(['tokens:revoke', `--id=${svc.id}`, '--json']);
      assert.deepEqual(revoked, {
        client_id: svc.id,
        revoked_access_tokens: 2,
        revoked_refresh_families: 0,
      });
      const human = site.run(['tokens:revoke', `--id=${app.id}`]);
      assert.equal(human.code, 0, human.stderr);
      assert.equal(
        human.stdout,
        `Revoked 1 access token and 1 refresh token family of App (${app.id}).\n`,
      );

      syncClock(server);
      for (const token of [a1.token, a2.token, granted.token, granted.refresh]) {
        assert.equal(await introspectActive(server, probe, token), false, 'inactive after');
      }
      assert.equal(
        await introspectActive(server, probe, other.token),
        true,
        'other clients untouched',
      );
      const refreshed = await refreshGrant(server, app, granted.refresh);
      assert.equal(refreshed.statusCode, 400);
      assert.equal(refreshed.json().error, 'invalid_grant');

      // The clients themselves stay active: new tokens, which are live.
      const fresh = await clientCredentials(server, svc);
      assert.equal(await introspectActive(server, probe, fresh.token), true);
      const again = await passwordGrant(server, app, user);
      assert.equal(await introspectActive(server, probe, again.token), true);
      assert.equal((await refreshGrant(server, app, again.refresh)).statusCode, 200);

      const listed = site.json(['tokens', `--id=${svc.id}`, '--json']).tokens as TokenRow[];
      assert.deepEqual(
        listed.map((t) => [t.jti, t.status]),
        [
          [fresh.jti, 'active'],
          [a2.jti, 'revoked'],
          [a1.jti, 'revoked'],
        ],
      );
      assert.deepEqual(site.json(['tokens:revoke', `--id=${svc.id}`, '--json']), {
        client_id: svc.id,
        revoked_access_tokens: 1,
        revoked_refresh_families: 0,
      });
    });

    test('tokens:stats counts by client and grant, per UTC day, with totals that add up', async () => {
      const { site, server, cc, passwordClient, expired } = await installation();
      const svc = cc('Stats');
      const app = passwordClient('Stats App');
      const user = await server.createUser();
      const issued: Issued[] = [await expired(svc)];
      syncClock(server);
      issued.push(await clientCredentials(server, svc), await clientCredentials(server, svc));
      const revoked = await clientCredentials(server, svc);
      issued.push(revoked);
      await revokeAtServer(server, svc, revoked.token);
      const granted = await passwordGrant(server, app, user);
      issued.push(granted, await rotate(server, app, granted.refresh));

      const stats = site.json(['tokens:stats', '--json']);
      assert.deepEqual(Object.keys(stats).sort(), [
        'by_client',
        'days',
        'issued_per_day',
        'totals',
      ]);
      const [first, second] = [svc.id, app.id].sort();
      const rows = {
        [svc.id]: [
          {
            client_id: svc.id,
            client_name: 'Stats',
            grant_type: 'client_credentials',
            active: 2,
            expired: 1,
            revoked: 1,
          },
        ],
        [app.id]: [
          {
            client_id: app.id,
            client_name: 'Stats App',
            grant_type: 'password',
            active: 1,
            expired: 0,
            revoked: 0,
          },
          {
            client_id: app.id,
            client_name: 'Stats App',
            grant_type: 'refresh_token',
            active: 1,
            expired: 0,
            revoked: 0,
          },
        ],
      };
      assert.deepEqual(stats.by_client, [...rows[first!]!, ...rows[second!]!]);
      assert.deepEqual(stats.totals, { active: 4, expired: 1, revoked: 1 });
      const summed = { active: 0, expired: 0, revoked: 0 };
      for (const row of stats.by_client) {
        summed.active += row.active;
        summed.expired += row.expired;
        summed.revoked += row.revoked;
      }
      assert.deepEqual(stats.totals, summed, 'totals are the sum of the rows');

      const perDay = new Map<string, number>();
      for (const token of issued)
        perDay.set(utcDay(token.at), (perDay.get(utcDay(token.at)) ?? 0) + 1);
      assert.deepEqual(
        stats.issued_per_day,
        [...perDay].sort().map(([day, n]) => ({ day, issued: n })),
      );
      assert.ok(
        stats.issued_per_day.some((d: { day: string }) => d.day === utcDay(Date.now())),
        'today (UTC) is listed',
      );
      assert.equal(stats.days, 14);

      // Tokens older than the window are left out of the daily counts, not the totals.
      const older = await site.server();
      older.clock.set(Date.now() - 20 * DAY_MS);
      await clientCredentials(older, svc);
      const later = site.json(['tokens:stats', '--days=30', '--json']);
      assert.equal(later.days, 30);
      assert.equal(
        later.issued_per_day.reduce((n: number, d: { issued: number }) => n + d.issued, 0),
        7,
      );
      assert.ok(
        later.issued_per_day.some(
          (d: { day: string }) => d.day === utcDay(Date.now() - 20 * DAY_MS),
        ),
      );
      const recent = site.json(['tokens:stats', '--json']);
      assert.deepEqual(
        recent.issued_per_day,
        stats.issued_per_day,
        'a 20-day-old token is outside 14 days',
      );
      assert.deepEqual(recent.totals, { active: 4, expired: 2, revoked: 1 });

      const human = site.run(['tokens:stats']);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /^Total: 4 active, 2 expired, 1 revoked$/m);
      assert.match(human.stdout, /^\s*Stats\s+client_credentials\s+2\s+2\s+1$/m);
    });

    test('tokens:prune refuses without --force, then deletes dead tokens in batches and keeps what detects replay', async () => {
      const { site, server, cc, passwordClient, expired } = await installation();
      const probe = cc('Probe');

      /** Live, expired and revoked tokens of two new clients, and a rotated refresh family. */
      async function scenario(tag: string) {
        const svc = cc(`Svc ${tag}`);
        const app = passwordClient(`App ${tag}`);
        const user = await server.createUser();
        const old = await expired(svc);
        syncClock(server);
        const revoked = await clientCredentials(server, svc);
        await revokeAtServer(server, svc, revoked.token);
        const active = await clientCredentials(server, svc);
        // A family rotated once: its first refresh token is consumed, the family still live.
        const first = await passwordGrant(server, app, user);
        const second = await rotate(server, app, first.refresh);
        // A family ended by revoking its refresh token: the family, its token, its access token.
        const ended = await passwordGrant(server, app, user);
        await revokeAtServer(server, app, ended.refresh);
        return { svc, app, old, revoked, active, first, second, ended };
      }
      const EXPECTED = {
        access_tokens: 3, // the expired one, the revoked one, the ended family's
        refresh_tokens: 1, // the ended family's (the consumed one of the live family stays)
        refresh_token_families: 1,
        authorization_codes: 0,
        login_sessions: 0,
      };
      const jtis = (id: string) =>
        (site.json(['tokens', `--id=${id}`, '--json']).tokens as TokenRow[]).map((t) => t.jti);

      async function checkPruned(s: Awaited<ReturnType<typeof scenario>>) {
        assert.deepEqual(jtis(s.svc.id), [s.active.jti], 'the live token is all that is left');
        assert.deepEqual(jtis(s.app.id), [s.second.jti, s.first.jti]);
        syncClock(server);
        assert.equal(await introspectActive(server, probe, s.active.token), true);
        assert.equal(await introspectActive(server, probe, s.second.token), true);
        // The consumed refresh token was kept: replaying it is still seen as theft, and ends
        // the family (the newest refresh token fails too). Had it been pruned, the replay
        // would only be an unknown token and the family would live on.
        const replay = await refreshGrant(server, s.app, s.first.refresh);
        assert.equal(replay.statusCode, 400);
        assert.equal(replay.json().error, 'invalid_grant');
        const newest = await refreshGrant(server, s.app, s.second.refresh);
        assert.equal(newest.statusCode, 400, 'the replay revoked the family');
        assert.equal(newest.json().error, 'invalid_grant');
        assert.equal(await introspectActive(server, probe, s.second.token), false);
      }

      const a = await scenario('A');
      const refused = site.run(['tokens:prune']);
      assert.equal(refused.code, 2);
      assert.equal(
        refused.stderr,
        'portcullis: Delete 3 access tokens, 1 refresh token, 1 refresh token family: refusing without --force (no terminal to confirm)\n',
      );
      assert.equal(jtis(a.svc.id).length, 3, 'nothing deleted');
      assert.equal(jtis(a.app.id).length, 3, 'nothing deleted');

      const pruned = site.json(['tokens:prune', '--force', '--json']);
      assert.deepEqual(pruned, { deleted: EXPECTED, total: 5 });
      await checkPruned(a);

      // The replay above ended scenario A's family: its two tokens, two refresh tokens, family.
      const cleanup = site.run(['tokens:prune', '--force']);
      assert.equal(cleanup.code, 0, cleanup.stderr);
      assert.equal(
        cleanup.stdout,
        'Pruned 2 access tokens, 2 refresh tokens, 1 refresh token family.\n',
      );
      const nothing = site.run(['tokens:prune']);
      assert.equal(nothing.code, 0, 'nothing to confirm: no --force needed');
      assert.equal(nothing.stdout, 'Nothing to prune.\n');

      // The same data pruned one row per statement: the batches go on until all is done.
      const b = await scenario('B');
      const batched = site.json(['tokens:prune', '--force', '--batch-size=1', '--json']);
      assert.deepEqual(batched, { deleted: EXPECTED, total: 5 });
      await checkPruned(b);
      assert.deepEqual(jtis(a.svc.id), [a.active.jti], 'earlier survivors untouched');
    });
  });
}
