import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { testDialects } from '../helpers/dialects.js';
import type { TestServer } from '../helpers/server.js';
import { tokenRequest } from '../helpers/server-calls.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The scopes a fresh installation has (the `scopes` configuration default). */
const CONFIGURED: Record<string, string> = {
  'api-keys:admin': "Manage every user's API keys and give any tier (administrative)",
  'api-keys:read': 'See your API keys and their usage',
  'api-keys:write': 'Create, change, rotate and revoke your API keys',
  email: 'Read your email address',
  offline_access: 'Stay signed in (refresh tokens)',
  openid: 'Sign you in with OpenID Connect',
  'organizations:read': 'See your organizations and their members',
  'organizations:write': 'Create and join organizations for you',
  profile: 'Read your name',
  roles: 'Share your roles and permissions with the app',
  'roles:read': 'See roles, permissions and who holds them (administrative)',
  'roles:write': 'Create and change roles and give them to users (administrative)',
  'users:read': 'Read users (administrative)',
  'users:write': 'Create and update users (administrative)',
};

interface ScopeRow {
  name: string;
  description: string;
  created_at: string;
}

for (const dialect of await testDialects()) {
  describe(`scope commands through the built CLI (${dialect})`, () => {
    let site: CliSite;
    let server: TestServer;
    before(async () => {
      site = await cliSite(dialect);
      assert.equal(site.run(['setup', '--json']).code, 0);
      server = await site.server();
    });
    after(() => site.close());

    const scopes = () => site.json(['scopes', '--json']) as ScopeRow[];
    const names = () => scopes().map((s) => s.name);
    const serviceClient = (allowed: string) =>
      site.json([
        'create',
        '--type=client_credentials',
        '--name=x',
        `--scopes=${allowed}`,
        '--json',
      ]) as { id: string; client_secret: string };
    /** The server caches clients and scopes for a second: move its clock past that. */
    const tokenFor = async (client: { id: string; client_secret: string }, scope: string) => {
      server.clock.advance(2000);
      return tokenRequest(server, client, { grant_type: 'client_credentials', scope });
    };
    const assertOneLine = (stderr: string) => {
      assert.equal(stderr.split('\n').length, 2, `one line on stderr: ${stderr}`);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace without --debug');
    };

    test('scopes lists the configured scopes', () => {
      const listed = scopes();
      assert.deepEqual(
        listed.map((s) => [s.name, s.description]),
        Object.entries(CONFIGURED),
      );
      for (const row of listed) {
        assert.deepEqual(Object.keys(row).sort(), ['created_at', 'description', 'name']);
        assert.match(row.created_at, ISO);
      }
      const human = site.run(['scopes']);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /^SCOPE\s+DESCRIPTION$/m);
      assert.match(human.stdout, /^users:write\s+Create and update users \(administrative\)$/m);
    });

    test('scopes:create defines a scope (then updates its description) that a client can get', async () => {
      const created = site.json([
        'scopes:create',
        '--scope=posts:read',
        '--description=Read posts',
        '--json',
      ]);
      assert.equal(created.name, 'posts:read');
      assert.equal(created.description, 'Read posts');
      assert.equal(created.created, true);
      assert.match(created.created_at, ISO);

      const again = site.json([
        'scopes:create',
        '--scope=posts:read',
        '--description=Read every post',
        '--json',
      ]);
      assert.equal(again.created, false);
      assert.equal(again.description, 'Read every post');
      const row = scopes().find((s) => s.name === 'posts:read');
      assert.deepEqual(row, {
        name: 'posts:read',
        description: 'Read every post',
        created_at: created.created_at,
      });

      const client = serviceClient('posts:*');
      const response = await tokenFor(client, 'posts:read');
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().scope, 'posts:read');
    });

    test('scopes:create refuses names outside `name` / `resource:action` (exit 2)', () => {
      for (const name of ['bad scope', 'a:b:c']) {
        const bad = site.run(['scopes:create', `--scope=${name}`]);
        assert.equal(bad.code, 2, `${name}: ${bad.stderr}`);
        assert.equal(
          bad.stderr,
          `portcullis: '${name}' is not a valid scope: use a name (letters, digits, _ . -) or resource:action\n`,
        );
        assertOneLine(bad.stderr);
        assert.ok(!names().includes(name), `${name} not defined`);
      }
    });

    test('scopes:delete of an unknown scope exits 1', () => {
      const unknown = site.run(['scopes:delete', '--scope=nope']);
      assert.equal(unknown.code, 1, unknown.stderr);
      assert.equal(unknown.stderr, 'portcullis: scope nope not found\n');
    });

    test('scopes:delete refuses a scope a client may have; --force deletes it', async () => {
      site.json(['scopes:create', '--scope=reports:read', '--json']);
      const client = serviceClient('reports:read');
      const refused = site.run(['scopes:delete', '--scope=reports:read']);
      assert.equal(refused.code, 1, refused.stderr);
      assert.equal(
        refused.stderr,
        'portcullis: scope reports:read is in use (1 client); use --force to delete it anyway\n',
      );
      assertOneLine(refused.stderr);
      assert.ok(names().includes('reports:read'), 'still listed');
      assert.equal((await tokenFor(client, 'reports:read')).statusCode, 200, 'still granted');

      const forced = site.run(['scopes:delete', '--scope=reports:read', '--force']);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(forced.stdout, /Scope reports:read deleted\. It was still named by 1 client/);
      assert.ok(!names().includes('reports:read'), 'no longer listed');
      const denied = await tokenFor(client, 'reports:read');
      assert.equal(denied.statusCode, 400);
      assert.equal(denied.json().error, 'invalid_scope');
    });

    test('a scope held by a live access token is in use too', async () => {
      site.json(['scopes:create', '--scope=posts:write', '--json']);
      const client = serviceClient('*');
      const issued = await tokenFor(client, 'posts:write');
      assert.equal(issued.statusCode, 200, issued.body);
      assert.equal(issued.json().scope, 'posts:write');
      const refused = site.run(['scopes:delete', '--scope=posts:write']);
      assert.equal(refused.code, 1, refused.stderr);
      assert.equal(
        refused.stderr,
        'portcullis: scope posts:write is in use (1 active access token); use --force to delete it anyway\n',
      );
      assert.ok(names().includes('posts:write'), 'still listed');
    });

    test('a deleted configured scope stays deleted: CLI runs and server starts do not bring it back', async () => {
      const deleted = site.run(['scopes:delete', '--scope=email']);
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.equal(deleted.stdout, 'Scope email deleted.\n');
      // Every CLI run (and every server start) adds the configured scopes the database lacks.
      assert.ok(!names().includes('email'), 'not back after the next CLI run');
      assert.ok(!names().includes('email'), 'nor the one after');
      const restarted = await site.server();
      assert.ok(
        !(await restarted.portcullis.ctx.repos.scopes.list()).some((s) => s.name === 'email'),
        'nor after a server start',
      );
      const client = serviceClient('*');
      const denied = await tokenFor(client, 'email');
      assert.equal(denied.statusCode, 400);
      assert.equal(denied.json().error, 'invalid_scope');
    });

    test('scopes:create brings a deleted scope back', async () => {
      if (names().includes('email')) site.run(['scopes:delete', '--scope=email', '--force']);
      const back = site.json([
        'scopes:create',
        '--scope=email',
        '--description=Read your email address',
        '--json',
      ]);
      assert.equal(back.created, true);
      assert.equal(back.description, 'Read your email address');
      assert.ok(names().includes('email'));
      const client = serviceClient('*');
      const granted = await tokenFor(client, 'email');
      assert.equal(granted.statusCode, 200, granted.body);
      assert.equal(granted.json().scope, 'email');
    });

    test('the in-use check tells scopes apart by case and by wildcard characters', () => {
      for (const scope of ['Admin', 'admin', 'a_b', 'a%b'.replace('%', '-')])
        assert.equal(site.run(['scopes:create', `--scope=${scope}`]).code, 0, scope);
      assert.equal(
        site.run(['create', '--type=client_credentials', '--name=x', '--scopes=Admin a-b']).code,
        0,
      );
      // `admin` and `a_b` are named by no client: only `Admin` and `a-b` are.
      for (const scope of ['admin', 'a_b']) {
        const deleted = site.run(['scopes:delete', `--scope=${scope}`]);
        assert.equal(deleted.code, 0, `${scope}: ${deleted.stderr}`);
      }
      assert.equal(site.run(['scopes:delete', '--scope=Admin']).code, 1);
    });
  });
}
