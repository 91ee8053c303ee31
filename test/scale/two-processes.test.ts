import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from '../helpers/server.js';
import { runCli, startCli } from '../helpers/cli.js';
import { REDIS_URL, redisAvailable } from '../helpers/dialects.js';

const available = await redisAvailable();
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function post(url: string, body: Record<string, string>, authorization: string) {
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

describe(
  'two `portcullis serve` processes on two ports, one database, one Redis',
  { skip: available ? false : `no Redis at ${REDIS_URL}` },
  () => {
    test('a revocation on one is seen by the other; sign-in limits are global', async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'portcullis-cluster-'));
      const env = { REDIS_URL, LOG_LEVEL: 'warn' };
      try {
        const svc = JSON.parse(
          runCli(['create', '--type=client_credentials', '--name=svc', '--json'], { cwd, env })
            .stdout,
        ) as { id: string; client_secret: string };
        const app = JSON.parse(
          runCli(['create', '--password-client', '--name=app', '--json'], { cwd, env }).stdout,
        ) as { id: string; client_secret: string };
        const email = `ada-${randomBytes(4).toString('hex')}@example.com`;
        runCli(['users:create', `--email=${email}`, '--password=correct horse battery'], {
          cwd,
          env,
        });
        const [portA, portB] = [await freePort(), await freePort()];
        // One issuer for both, as behind a load balancer.
        const shared = { ...env, PORTCULLIS_ISSUER: 'http://127.0.0.1:8000' };
        const a = await startCli(['serve'], {
          cwd,
          env: { ...shared, PORT: String(portA) },
          ready: /API docs/,
        });
        const b = await startCli(['serve'], {
          cwd,
          env: { ...shared, PORT: String(portB) },
          ready: /API docs/,
        });
        try {
          const A = `http://127.0.0.1:${portA}`;
          const B = `http://127.0.0.1:${portB}`;
          const svcAuth = basic(svc.id, svc.client_secret);
          const token = (
            await post(`${A}/oauth/token`, { grant_type: 'client_credentials' }, svcAuth)
          ).body.access_token as string;
          assert.equal(
            (await post(`${B}/oauth/introspect`, { token }, svcAuth)).body.active,
            true,
            'B verifies a token A signed',
          );
          assert.equal((await post(`${B}/oauth/revoke`, { token }, svcAuth)).status, 200);
          assert.equal(
            (await post(`${A}/oauth/introspect`, { token }, svcAuth)).body.active,
            false,
            'A sees B’s revocation',
          );

          const appAuth = basic(app.id, app.client_secret);
          const attempt = (base: string, password: string) =>
            post(
              `${base}/oauth/token`,
              { grant_type: 'password', username: email, password },
              appAuth,
            );
          for (const base of [A, B, A, B, A])
            assert.equal((await attempt(base, 'wrong')).status, 400);
          assert.equal(
            (await attempt(B, 'correct horse battery')).status,
            429,
            'five failures across both nodes lock the sixth',
          );
        } finally {
          a.child.kill('SIGTERM');
          b.child.kill('SIGTERM');
          assert.equal(await a.exited, 0);
          assert.equal(await b.exited, 0);
        }
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    });
  },
);
