import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

describe('portcullis create and users:create (no TTY)', () => {
  const withDir = (run: (cwd: string) => void) => {
    const cwd = mkdtempSync(join(tmpdir(), 'portcullis-cli-'));
    try {
      run(cwd);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  };

  test('creates each kind of client; the secret is printed once and stored only as a digest', () =>
    withDir((cwd) => {
      const web = runCli(
        ['create', '--name=My App', '--redirect=https://myapp.com/callback', '--json'],
        { cwd },
      );
      assert.equal(web.code, 0, web.stderr);
      const client = JSON.parse(web.stdout);
      assert.equal(client.type, 'authorization_code');
      assert.deepEqual(client.redirect_uris, ['https://myapp.com/callback']);
      assert.match(client.client_secret, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(client.first_party, false);
      const own = runCli(
        [
          'create',
          '--name=Own App',
          '--redirect=https://own.example/cb',
          '--first-party',
          '--json',
        ],
        { cwd },
      );
      assert.equal(JSON.parse(own.stdout).first_party, true);
      assert.equal(
        JSON.parse(runCli(['create', '--personal', '--name=PAT', '--json'], { cwd }).stdout).type,
        'personal_access',
      );
      assert.equal(
        JSON.parse(
          runCli(['create', '--password-client', '--name=Mobile', '--json'], { cwd }).stdout,
        ).type,
        'password',
      );
      const service = runCli(['create', '--type=client_credentials', '--name=Service Client'], {
        cwd,
      });
      assert.match(service.stdout, /Client secret\s+\S{43}/);
      assert.match(service.stdout, /shown only once/);
    }));

  test('bad input: exit 2 with one line for a bad redirect URI, a bad option value or a missing name', () =>
    withDir((cwd) => {
      const badUri = runCli(['create', '--name=x', '--redirect=javascript:alert(1)'], { cwd });
      assert.equal(badUri.code, 2, 'an invalid value is bad usage');
      assert.match(badUri.stderr, /^portcullis: invalid redirect URI/);
      assert.doesNotMatch(badUri.stderr, /at .*\.js/, 'no stack trace');
      const badType = runCli(['create', '--name=x', '--type=magic'], { cwd });
      assert.equal(badType.code, 2);
      const noName = runCli(['create', '--type=client_credentials'], { cwd });
      assert.equal(noName.code, 2);
      assert.equal(noName.stderr, 'portcullis: --name is required (no terminal to ask)\n');
      const noPassword = runCli(['users:create', '--email=ada@example.com'], { cwd });
      assert.equal(noPassword.code, 2);
      assert.match(noPassword.stderr, /--email and --password are required/);
    }));

  test('users:create makes a user; a duplicate email is refused', () =>
    withDir((cwd) => {
      const first = runCli(
        ['users:create', '--email=Ada@Example.com', '--password=correct horse battery', '--json'],
        { cwd },
      );
      assert.equal(first.code, 0, first.stderr);
      assert.equal(JSON.parse(first.stdout).email, 'ada@example.com');
      const again = runCli(
        ['users:create', '--email=ada@example.com', '--password=correct horse battery'],
        { cwd },
      );
      assert.equal(again.code, 1);
      assert.match(again.stderr, /already registered/);
    }));
});
