import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { importUsers } from '../../src/core/users/import-users.js';

const PASSWORD = 'imported passphrase 1';
/** Laravel writes `$2y$`, passlib and Node `$2b$`; cost 4 keeps the test fast. */
const laravelHash = (password: string) => bcrypt.hashSync(password, 4).replace(/^\$2b\$/, '$2y$');

for (const dialect of await testDialects()) {
  describe(`bcrypt imports (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ dialect });
    });
    after(() => server.close());
    const login = (email: string, password: string) =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
      });

    test('an imported bcrypt hash signs in, and is re-hashed to argon2id on that sign-in', async () => {
      const email = `laravel-${Date.now()}@example.com`;
      const report = await importUsers(server.portcullis.ctx, [
        { email, name: 'From Laravel', password_hash: laravelHash(PASSWORD), email_verified: true },
      ]);
      assert.deepEqual(report, { imported: 1, skipped: [] });
      assert.equal((await login(email, 'not the imported one')).statusCode, 400);
      assert.equal((await login(email, PASSWORD)).statusCode, 200);
      const stored = await server.portcullis.ctx.repos.users.findByEmail(email);
      assert.match(stored!.passwordHash!, /^\$argon2id\$/, 'upgraded on the successful sign-in');
      assert.equal((await login(email, PASSWORD)).statusCode, 200, 'and still signs in');
    });

    test('bad rows are skipped with their reason; the rest go in', async () => {
      const taken = `taken-${Date.now()}@example.com`;
      await server.createUser(taken);
      const report = await importUsers(server.portcullis.ctx, [
        { email: `ok-${Date.now()}@example.com`, password_hash: laravelHash('x') },
        { email: taken, password_hash: laravelHash('x') },
        { email: 'not-an-email', password_hash: laravelHash('x') },
        { email: `plain-${Date.now()}@example.com`, password_hash: 'plaintext-password' },
      ]);
      assert.equal(report.imported, 1);
      assert.deepEqual(
        report.skipped.map((s) => [s.row, s.reason]),
        [
          [2, 'the email is already registered'],
          [3, 'not a valid email address'],
          [4, 'password_hash is neither bcrypt ($2a$/$2b$/$2y$) nor argon2id'],
        ],
      );
    });
  });
}

describe('users:import through the built CLI', () => {
  let site: CliSite;
  before(async () => {
    site = await cliSite('sqlite');
    assert.equal(site.run(['setup', '--json']).code, 0);
  });
  after(() => site.close());

  test('a CSV with quoted names imports; a skipped row makes the exit code 1', async () => {
    const file = join(site.cwd, 'users.csv');
    writeFileSync(
      file,
      [
        'email,name,password_hash,email_verified',
        `ada@example.com,"Lovelace, Ada",${laravelHash(PASSWORD)},true`,
        `"grace@example.com","Grace ""Amazing"" Hopper",${laravelHash(PASSWORD)},false`,
        `broken@example.com,Broken,not-a-hash,true`,
        '',
      ].join('\n'),
    );
    const run = site.run(['users:import', `--file=${file}`, '--json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.imported, 2);
    assert.equal(report.skipped[0].email, 'broken@example.com');
    const shown = site.json(['users:show', '--user=grace@example.com', '--json']);
    assert.equal(shown.name, 'Grace "Amazing" Hopper');
    assert.equal(
      site.json(['users:show', '--user=ada@example.com', '--json']).name,
      'Lovelace, Ada',
    );
    const missing = site.run(['users:import', '--file=/nonexistent.csv']);
    assert.equal(missing.code, 2);
  });
});
