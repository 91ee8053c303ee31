import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { testDialects } from '../helpers/dialects.js';
import { basic, postForm } from '../helpers/oauth-inject.js';
import type { TestServer } from '../helpers/server.js';

const UNKNOWN_ID = '01J00000000000000000000000';

for (const dialect of await testDialects()) {
  describe(`client commands through the built CLI (${dialect})`, () => {
    let site: CliSite;
    let server: TestServer;
    before(async () => {
      site = await cliSite(dialect);
      assert.equal(site.run(['setup', '--json']).code, 0);
      server = await site.server();
    });
    after(() => site.close());

    /** The server caches clients for a second: move its clock past that to see CLI changes. */
    const tokenFor = async (id: string, secret: string) => {
      server.clock.advance(2000);
      return postForm(
        server.app,
        '/oauth/token',
        { grant_type: 'client_credentials' },
        { authorization: basic(id, secret) },
      );
    };
    const introspect = async (token: string, id: string, secret: string) =>
      (
        await postForm(
          server.app,
          '/oauth/introspect',
          { token },
          { authorization: basic(id, secret) },
        )
      ).json().active as boolean;

    test('create, list, show: the JSON shape, and the secret only at creation', () => {
      const created = site.json([
        'create',
        '--type=client_credentials',
        '--name=Reporting',
        '--scopes=users:read',
        '--json',
      ]);
      assert.match(created.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
      assert.equal(created.type, 'client_credentials');
      assert.deepEqual(created.scopes, ['users:read']);
      assert.match(created.client_secret, /^[A-Za-z0-9_-]{43}$/);
      const listed = site.json(['list', '--json']) as Array<Record<string, unknown>>;
      const row = listed.find((c) => c.id === created.id)!;
      assert.deepEqual(Object.keys(row).sort(), [
        'confidential',
        'created_at',
        'first_party',
        'grant_types',
        'id',
        'name',
        'redirect_uris',
        'revoked',
        'revoked_at',
        'scopes',
        'type',
        'updated_at',
      ]);
      const shown = site.json(['show', `--id=${created.id}`, '--json']);
      assert.deepEqual(shown, row);
      assert.ok(!JSON.stringify(shown).includes(created.client_secret), 'no secret after creation');
      const human = site.run(['list']);
      assert.match(human.stdout, /^ID\s+NAME\s+TYPE\s+REDIRECT\s+STATUS\s+CREATED$/m);
      assert.match(
        human.stdout,
        new RegExp(`^${created.id}\\s+Reporting\\s+client_credentials`, 'm'),
      );
      assert.doesNotMatch(human.stdout, /\x1b\[/, 'no colour codes without a terminal');
    });

    test('update changes name and redirect URIs; secret replaces the secret at once', async () => {
      const web = site.json([
        'create',
        '--name=Web',
        '--redirect=https://web.example/cb',
        '--json',
      ]);
      const updated = site.json([
        'update',
        `--id=${web.id}`,
        '--name=Web App',
        '--redirect=https://web.example/callback',
        '--redirect=https://web.example/callback2',
        '--json',
      ]);
      assert.equal(updated.name, 'Web App');
      assert.deepEqual(updated.redirect_uris, [
        'https://web.example/callback',
        'https://web.example/callback2',
      ]);
      const nothing = site.run(['update', `--id=${web.id}`]);
      assert.equal(nothing.code, 2);
      assert.match(nothing.stderr, /nothing to update/);

      const service = site.json(['create', '--type=client_credentials', '--name=Svc', '--json']);
      assert.equal((await tokenFor(service.id, service.client_secret)).statusCode, 200);
      const renewed = site.json(['secret', `--id=${service.id}`, '--json']);
      assert.notEqual(renewed.client_secret, service.client_secret);
      const old = await tokenFor(service.id, service.client_secret);
      assert.equal(old.statusCode, 401);
      assert.equal(old.json().error, 'invalid_client');
      assert.equal((await tokenFor(service.id, renewed.client_secret)).statusCode, 200);
    });

    test('revoke ends the client and its tokens; restore lets it get new tokens, not the old ones back', async () => {
      const svc = site.json(['create', '--type=client_credentials', '--name=Revocable', '--json']);
      const issued = (await tokenFor(svc.id, svc.client_secret)).json().access_token as string;
      const probe = site.json(['create', '--type=client_credentials', '--name=Probe', '--json']);
      assert.equal(await introspect(issued, probe.id, probe.client_secret), true);

      const revoked = site.json(['revoke', `--id=${svc.id}`, '--json']);
      assert.equal(revoked.client.revoked, true);
      assert.equal(revoked.revoked_access_tokens, 1);
      assert.equal((await tokenFor(svc.id, svc.client_secret)).json().error, 'invalid_client');
      assert.equal(await introspect(issued, probe.id, probe.client_secret), false);
      assert.ok(!site.json(['list', '--json']).some((c: { id: string }) => c.id === svc.id));
      assert.ok(
        site.json(['list', '--revoked', '--json']).some((c: { id: string }) => c.id === svc.id),
      );
      assert.equal(site.json(['revoke', `--id=${svc.id}`, '--json']).already_revoked, true);

      const restored = site.json(['restore', `--id=${svc.id}`, '--json']);
      assert.equal(restored.was_revoked, true);
      assert.equal(restored.client.revoked, false);
      assert.equal((await tokenFor(svc.id, svc.client_secret)).statusCode, 200);
      assert.equal(
        await introspect(issued, probe.id, probe.client_secret),
        false,
        'old token stays revoked',
      );
    });

    test('tokens a server minted from its cached client after revoke do not come back with restore', async () => {
      const app = site.json(['create', '--password-client', '--name=Cached', '--json']);
      const user = await server.createUser();
      const grant = () =>
        postForm(
          server.app,
          '/oauth/token',
          { grant_type: 'password', username: user.email, password: user.password },
          { authorization: basic(app.id, app.client_secret) },
        );
      server.clock.advance(2000);
      assert.equal((await grant()).statusCode, 200, 'the server now holds the client in its cache');
      site.json(['revoke', `--id=${app.id}`, '--json']);
      // The server's clock stands still: its cached client still looks active for a moment.
      const late = await grant();
      assert.equal(late.statusCode, 200);
      site.json(['restore', `--id=${app.id}`, '--json']);
      server.clock.advance(2000);
      const refreshed = await postForm(
        server.app,
        '/oauth/token',
        { grant_type: 'refresh_token', refresh_token: late.json().refresh_token },
        { authorization: basic(app.id, app.client_secret) },
      );
      assert.equal(refreshed.statusCode, 400);
      assert.equal(refreshed.json().error, 'invalid_grant');
      assert.equal((await grant()).statusCode, 200, 'the restored client gets new tokens');
    });

    test('delete refuses without --force when there is no terminal, and deletes with it', async () => {
      const doomed = site.json(['create', '--type=client_credentials', '--name=Doomed', '--json']);
      await tokenFor(doomed.id, doomed.client_secret);
      const refused = site.run(['delete', `--id=${doomed.id}`]);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /refusing without --force/);
      assert.equal(site.json(['show', `--id=${doomed.id}`, '--json']).id, doomed.id, 'still there');
      const deleted = site.run(['delete', `--id=${doomed.id}`, '--force']);
      assert.equal(deleted.code, 0, deleted.stderr);
      const gone = site.run(['show', `--id=${doomed.id}`]);
      assert.equal(gone.code, 1);
      assert.equal(gone.stderr, `portcullis: client ${doomed.id} not found\n`);
    });

    test('bad input: unknown id exits 1, malformed id, bad redirect URI and unknown scope exit 2', () => {
      for (const command of [
        'show',
        'update --name=x',
        'secret',
        'revoke',
        'restore',
        'delete --force',
        'tokens',
        'tokens:revoke',
      ]) {
        const [name, ...rest] = command.split(' ');
        const unknown = site.run([name!, `--id=${UNKNOWN_ID}`, ...rest]);
        assert.equal(unknown.code, 1, `${command}: ${unknown.stderr}`);
        assert.equal(unknown.stderr, `portcullis: client ${UNKNOWN_ID} not found\n`, command);
        const malformed = site.run([name!, '--id=42', ...rest]);
        assert.equal(malformed.code, 2, `${command}: ${malformed.stderr}`);
        assert.match(malformed.stderr, /^portcullis: '42' is not a client id/, command);
      }
      const missingId = site.run(['show']);
      assert.equal(missingId.code, 2);
      assert.match(missingId.stderr, /required option '--id <id>' not specified/);
      const badUri = site.run(['create', '--name=x', '--redirect=http://evil.example/cb']);
      assert.equal(badUri.code, 2);
      assert.match(badUri.stderr, /^portcullis: invalid redirect URI 'http:\/\/evil.example\/cb'/);
      const badScope = site.run([
        'create',
        '--type=client_credentials',
        '--name=x',
        '--scopes=nope:read',
      ]);
      assert.equal(badScope.code, 2);
      assert.equal(
        badScope.stderr,
        "portcullis: unknown scope 'nope:read' (see `portcullis scopes`)\n",
      );
      const wildcard = site.run([
        'create',
        '--type=client_credentials',
        '--name=x',
        '--scopes=users:*',
        '--json',
      ]);
      assert.equal(wildcard.code, 0, 'a wildcard covering defined scopes is accepted');
      for (const result of [badUri, badScope]) {
        assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace without --debug');
      }
      const debug = site.run(['--debug', 'show', `--id=${UNKNOWN_ID}`]);
      assert.match(
        debug.stderr,
        /NotFoundError: client .* not found\n\s+at /,
        '--debug adds the stack',
      );
    });
  });
}
