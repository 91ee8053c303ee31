import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/server.js';
import { runCli, startCli } from '../helpers/cli.js';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function form(url: string, body: Record<string, string>, authorization: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
    body: new URLSearchParams(body),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => ({}))) as Record<string, unknown>,
  };
}

describe('durability of acknowledged writes (real process, SQLite)', () => {
  test('an issued token and an acknowledged revocation survive kill -9', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'portcullis-kill-'));
    try {
      const created = runCli(['create', '--type=client_credentials', '--name=svc', '--json'], {
        cwd,
      });
      const client = JSON.parse(created.stdout) as { id: string; client_secret: string };
      const auth = basic(client.id, client.client_secret);
      const port = await freePort();
      const env = { PORT: String(port), LOG_LEVEL: 'warn' };
      const base = `http://127.0.0.1:${port}`;

      let server = await startCli(['serve'], { cwd, env, ready: /API docs/ });
      const kept = (await form(`${base}/oauth/token`, { grant_type: 'client_credentials' }, auth))
        .body.access_token as string;
      const revoked = (
        await form(`${base}/oauth/token`, { grant_type: 'client_credentials' }, auth)
      ).body.access_token as string;
      assert.equal((await form(`${base}/oauth/revoke`, { token: revoked }, auth)).status, 200);
      server.child.kill('SIGKILL');
      await server.exited;

      server = await startCli(['serve'], { cwd, env, ready: /API docs/ });
      try {
        assert.equal(
          (await form(`${base}/oauth/introspect`, { token: kept }, auth)).body.active,
          true,
          'the issued token was recorded before the response',
        );
        assert.equal(
          (await form(`${base}/oauth/introspect`, { token: revoked }, auth)).body.active,
          false,
          'the revocation was not lost',
        );
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('SIGTERM lets in-flight requests finish before exiting', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'portcullis-drain-'));
    try {
      const client = JSON.parse(
        runCli(['create', '--password-client', '--name=app', '--json'], { cwd }).stdout,
      ) as { id: string; client_secret: string };
      runCli(['users:create', '--email=ada@example.com', '--password=correct horse battery'], {
        cwd,
      });
      const port = await freePort();
      // At info level Fastify logs each request as it arrives: the signal is sent once all are in.
      const server = await startCli(['serve'], {
        cwd,
        env: { PORT: String(port), LOG_LEVEL: 'info' },
        ready: /API docs/,
      });
      // Each password grant spends an argon2 verification: these are still running when SIGTERM lands.
      const requests = Array.from({ length: 12 }, () =>
        form(
          `http://127.0.0.1:${port}/oauth/token`,
          {
            grant_type: 'password',
            username: 'ada@example.com',
            password: 'correct horse battery',
          },
          basic(client.id, client.client_secret),
        ),
      );
      const arrived = () => server.output().split('incoming request').length - 1;
      while (arrived() < requests.length) await new Promise((resolve) => setTimeout(resolve, 2));
      server.child.kill('SIGTERM');
      const results = await Promise.all(requests);
      assert.deepEqual(
        results.map((r) => r.status),
        results.map(() => 200),
      );
      assert.equal(await server.exited, 0);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
