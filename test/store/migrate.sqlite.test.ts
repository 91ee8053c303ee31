import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { CLI, cleanEnv } from '../helpers/cli.js';

const ALL = Object.keys(MIGRATIONS);

test('SQLite: a migration that fails half-way leaves nothing behind; the next run applies everything', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-migrate-'));
  const { db } = openDatabase(`sqlite:${join(dir, 'db.sqlite')}`);
  try {
    // A table in the way makes the first migration fail after it created several others.
    await sql`create table login_sessions (x integer)`.execute(db);
    await assert.rejects(migrateToLatest(db), /migration 001-oauth-foundation failed/);
    const tables = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table'`.execute(db);
    assert.deepEqual(
      tables.rows.map((r) => r.name).filter((n) => !n.startsWith('portcullis_migration')),
      ['login_sessions'],
      'the failed run created nothing',
    );
    await sql`drop table login_sessions`.execute(db);
    assert.deepEqual(await migrateToLatest(db), ALL);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SQLite: processes migrating one new file at once all succeed, and it is migrated once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-migrate-race-'));
  try {
    const env = cleanEnv({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` });
    const runs = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, [CLI, 'migrate', '--json'], { cwd: dir, env });
            let stdout = '';
            let stderr = '';
            child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
            child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
            child.on('close', (code) => resolve({ code, stdout, stderr }));
          }),
      ),
    );
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const applied = runs.map((r) => (JSON.parse(r.stdout) as { applied: string[] }).applied);
    assert.deepEqual(
      applied.flat().sort(),
      [...ALL].sort(),
      'every migration applied by exactly one process',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
