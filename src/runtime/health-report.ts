import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { importSigningKey } from '../core/keys/signing-key-material.js';
import { openDatabase, redactedUrl, sqliteFile, type OpenDatabase } from '../store/database.js';
import { fileMode, keyFiles } from '../store/key-files.js';
import { pendingMigrations } from '../store/migrate.js';
import { connectRedis, redisReady } from '../store/redis.js';

export interface HealthCheck {
  name: 'database' | 'migrations' | 'key files' | 'signing key' | 'redis' | 'clock';
  ok: boolean;
  detail: string;
}

export interface HealthReport {
  ok: boolean;
  checks: HealthCheck[];
}

const CHECK_TIMEOUT_MS = 3000;
/** Later than any clock that has been set at all. */
const EARLIEST_SANE_TIME = Date.UTC(2025, 0, 1);
const CLOCK_SKEW_LIMIT_MS = 30_000;

const octal = (mode: number) => `0${mode.toString(8)}`;

async function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer in 3 s`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * What `portcullis health` checks, without changing anything: the database answers, migrations
 * are current, the key files exist with safe permissions and hold the active signing key, Redis
 * answers (when configured), and the clock is sane.
 */
export async function healthReport(config: Config, clock: Clock): Promise<HealthReport> {
  const checks: HealthCheck[] = [];
  const file = sqliteFile(config.databaseUrl);
  if (file && !existsSync(file)) {
    // Opening would create it: a health check changes nothing.
    checks.push(
      { name: 'database', ok: false, detail: `${file} does not exist: run portcullis setup` },
      { name: 'migrations', ok: false, detail: 'not checked: no database' },
    );
    await checkKeyFiles(config, checks);
    checks.push({ name: 'signing key', ok: false, detail: 'not checked: no database' });
    if (config.redisUrl) await checkRedis(config.redisUrl, checks);
    checks.push({
      name: 'clock',
      ok: clock.now() >= EARLIEST_SANE_TIME,
      detail: new Date(clock.now()).toISOString(),
    });
    return { ok: false, checks };
  }
  const opened = openDatabase(config.databaseUrl);
  try {
    const databaseOk = await checkDatabase(opened, checks);
    const migrated = databaseOk && (await checkMigrations(opened, checks));
    const fileKid = await checkKeyFiles(config, checks);
    if (migrated) await checkActiveKey(opened, fileKid, checks);
    else checks.push({ name: 'signing key', ok: false, detail: 'not checked: schema not current' });
    if (config.redisUrl) await checkRedis(config.redisUrl, checks);
    await checkClock(opened, databaseOk && migrated, clock, checks);
  } finally {
    await opened.db.destroy().catch(() => undefined);
  }
  return { ok: checks.every((c) => c.ok), checks };
}

async function checkDatabase(opened: OpenDatabase, checks: HealthCheck[]): Promise<boolean> {
  try {
    await within(sql`select 1`.execute(opened.db), 'the database');
    checks.push({ name: 'database', ok: true, detail: `${opened.dialect} ${opened.location}` });
    return true;
  } catch (error) {
    checks.push({
      name: 'database',
      ok: false,
      detail: `${opened.location} unreachable: ${(error as Error).message}`,
    });
    checks.push({ name: 'migrations', ok: false, detail: 'not checked: database unreachable' });
    return false;
  }
}

async function checkMigrations(opened: OpenDatabase, checks: HealthCheck[]): Promise<boolean> {
  const pending = await pendingMigrations(opened.db, { schema: opened.schema });
  checks.push(
    pending.length === 0
      ? { name: 'migrations', ok: true, detail: 'up to date' }
      : {
          name: 'migrations',
          ok: false,
          detail: `${pending.length} pending (${pending.join(', ')}): run portcullis migrate`,
        },
  );
  return pending.length === 0;
}

/** Returns the kid of the key this installation signs with, when it could be read. */
async function checkKeyFiles(config: Config, checks: HealthCheck[]): Promise<string | undefined> {
  if (config.privateKeyPem) {
    try {
      const key = await importSigningKey(config.privateKeyPem);
      checks.push({
        name: 'key files',
        ok: true,
        detail: `from PORTCULLIS_PRIVATE_KEY (${key.alg})`,
      });
      return key.kid;
    } catch (error) {
      checks.push({
        name: 'key files',
        ok: false,
        detail: `PORTCULLIS_PRIVATE_KEY: ${(error as Error).message}`,
      });
      return undefined;
    }
  }
  const files = keyFiles(config.storageDir);
  const privateMode = fileMode(files.privatePath);
  const publicMode = fileMode(files.publicPath);
  const problems: string[] = [];
  if (privateMode === null)
    problems.push(`${files.privatePath} missing (run portcullis keys:generate)`);
  else if (privateMode & 0o077)
    problems.push(`${files.privatePath} is ${octal(privateMode)}, readable by others (chmod 600)`);
  if (publicMode === null) problems.push(`${files.publicPath} missing`);
  else if (publicMode & 0o022)
    problems.push(`${files.publicPath} is ${octal(publicMode)}, writable by others (chmod 644)`);
  let kid: string | undefined;
  if (privateMode !== null) {
    try {
      kid = (await importSigningKey(readFileSync(files.privatePath, 'utf8'))).kid;
    } catch (error) {
      problems.push(`${files.privatePath} is not a usable key: ${(error as Error).message}`);
    }
  }
  checks.push(
    problems.length
      ? { name: 'key files', ok: false, detail: problems.join('; ') }
      : {
          name: 'key files',
          ok: true,
          detail: `${files.dir} (private ${octal(privateMode!)}, public ${octal(publicMode!)})`,
        },
  );
  return kid;
}

async function checkActiveKey(
  opened: OpenDatabase,
  fileKid: string | undefined,
  checks: HealthCheck[],
) {
  const active = await opened.db
    .selectFrom('signing_keys')
    .select(['kid', 'alg'])
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!active) {
    checks.push({
      name: 'signing key',
      ok: false,
      detail: 'no active signing key: start the server or run portcullis keys:generate',
    });
  } else if (fileKid && fileKid !== active.kid) {
    checks.push({
      name: 'signing key',
      ok: false,
      detail: `the key file holds ${fileKid}, but ${active.kid} is the active key`,
    });
  } else {
    checks.push({
      name: 'signing key',
      ok: fileKid !== undefined,
      detail: `${active.alg} ${active.kid}`,
    });
  }
}

async function checkRedis(url: string, checks: HealthCheck[]): Promise<void> {
  const redis = connectRedis(url);
  redis.on('error', () => undefined);
  try {
    // Commands are not queued while connecting (connectRedis): wait for the connection first.
    if (!(await redisReady(redis, CHECK_TIMEOUT_MS))) throw new Error('no connection in 3 s');
    const pong = await within(redis.ping(), 'Redis');
    checks.push({
      name: 'redis',
      ok: pong === 'PONG',
      detail: redactedUrl(url),
    });
  } catch (error) {
    checks.push({ name: 'redis', ok: false, detail: `unreachable: ${(error as Error).message}` });
  } finally {
    redis.disconnect();
  }
}

/**
 * A clock that is unset, far off the database server's, or behind rows already written makes
 * tokens expire early, late, or before they were issued.
 */
async function checkClock(
  opened: OpenDatabase,
  migrated: boolean,
  clock: Clock,
  checks: HealthCheck[],
) {
  const now = clock.now();
  if (now < EARLIEST_SANE_TIME) {
    checks.push({
      name: 'clock',
      ok: false,
      detail: `${new Date(now).toISOString()} is not a plausible time`,
    });
    return;
  }
  try {
    if (opened.dialect === 'postgres') {
      const { rows } = await sql<{
        ms: number | string;
      }>`select (extract(epoch from clock_timestamp()) * 1000)::bigint as ms`.execute(opened.db);
      const skew = Number(rows[0]!.ms) - now;
      if (Math.abs(skew) > CLOCK_SKEW_LIMIT_MS) {
        checks.push({
          name: 'clock',
          ok: false,
          detail: `${Math.round(skew / 1000)} s off the database server's clock`,
        });
        return;
      }
    }
    if (migrated) {
      const newest = await opened.db
        .selectFrom('signing_keys')
        .select((eb) => eb.fn.max('created_at').as('t'))
        .executeTakeFirst();
      const t = Number(newest?.t ?? 0);
      if (t > now + CLOCK_SKEW_LIMIT_MS) {
        checks.push({
          name: 'clock',
          ok: false,
          detail: `behind data already written (${new Date(t).toISOString()}): the clock went back`,
        });
        return;
      }
    }
  } catch {
    // The database check reports an unreachable database; the clock itself is fine.
  }
  checks.push({ name: 'clock', ok: true, detail: new Date(now).toISOString() });
}
