import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/server.js';
import { runCli, startCli } from '../helpers/cli.js';

describe('portcullis serve with zero configuration', () => {
  test('creates storage, migrates, generates keys, prints the URLs, and stops cleanly on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'portcullis-serve-'));
    try {
      const port = await freePort();
      const server = await startCli(['serve'], {
        cwd,
        env: { PORT: String(port), LOG_LEVEL: 'warn' },
        ready: /API docs/,
      });
      const out = server.output();
      assert.match(out, new RegExp(`Issuer\\s+http://127\\.0\\.0\\.1:${port}`));
      assert.match(out, new RegExp(`http://127\\.0\\.0\\.1:${port}/docs`));
      assert.match(out, /Next:/);
      assert.ok(existsSync(join(cwd, 'storage', 'portcullis.db')));
      assert.equal(
        statSync(join(cwd, 'storage', 'oauth2', 'oauth-private.key')).mode & 0o777,
        0o600,
      );

      const health = await fetch(`http://127.0.0.1:${port}/health`);
      assert.equal(health.status, 200);
      const discovery = (await (
        await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)
      ).json()) as { issuer: string };
      assert.equal(discovery.issuer, `http://127.0.0.1:${port}`);

      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);

      // Second start: same key, nothing to migrate.
      const again = await startCli(['serve'], {
        cwd,
        env: { PORT: String(port), LOG_LEVEL: 'warn' },
        ready: /API docs/,
      });
      assert.doesNotMatch(again.output(), /\(new\)/);
      assert.doesNotMatch(again.output(), /applied/);
      again.child.kill('SIGINT');
      assert.equal(await again.exited, 0);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('a bad setting stops start-up with one line naming the variable', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'portcullis-serve-'));
    try {
      const result = runCli(['serve'], {
        cwd,
        env: { OAUTH2_ACCESS_TOKEN_EXPIRE_MINUTES: 'soon' },
      });
      assert.equal(result.code, 1);
      assert.equal(result.stderr.trim().split('\n').length, 1);
      assert.match(result.stderr, /OAUTH2_ACCESS_TOKEN_EXPIRE_MINUTES=soon is invalid/);
      assert.ok(
        !existsSync(join(cwd, 'storage')),
        'nothing is created when the configuration is invalid',
      );
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('migrate applies pending migrations once', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'portcullis-migrate-'));
    try {
      const first = runCli(['migrate', '--json'], { cwd });
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual(JSON.parse(first.stdout).applied, [
        '001-oauth-foundation',
        '002-authorization-code-replay',
        '003-login-session-request',
        '004-admin-cli',
        '005-api-keys',
        '006-rbac-organizations',
        '007-account-tokens',
        '008-organization-sessions',
      ]);
      const second = runCli(['migrate', '--json'], { cwd });
      assert.deepEqual(JSON.parse(second.stdout).applied, []);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
