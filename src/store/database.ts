import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import { Kysely, SqliteDialect } from 'kysely';
import { SearchPathPostgresDialect } from './postgres-dialect.js';
import type { Database } from './schema.js';
import { loadSqlite } from './sqlite-library.js';
import { withStatementCache } from './sqlite-statement-cache.js';

export type DialectName = 'sqlite' | 'postgres';

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the data lives, for messages (password stripped). */
  location: string;
  /** The PostgreSQL schema in use, when one was asked for. */
  schema?: string | undefined;
}

export interface OpenDatabaseOptions {
  /** Resolve relative SQLite paths from here. */
  cwd?: string;
  /** PostgreSQL schema to use (tests use one fresh schema per run). */
  schema?: string;
}

const INT8_OID = 20;

/** A database URL fit to print: the password masked, in the user part and in the query. */
export function redactedUrl(url: string): string {
  if (!URL.canParse(url)) return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  for (const name of [...parsed.searchParams.keys()])
    if (/pass/i.test(name)) parsed.searchParams.set(name, '***');
  return parsed.toString().replace(/%2A%2A%2A/g, '***');
}

const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

/** The SQLite file a database URL names (absolute); undefined for PostgreSQL and `:memory:`. */
export function sqliteFile(url: string, cwd = process.cwd()): string | undefined {
  if (isPostgresUrl(url)) return undefined;
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  return path === ':memory:' ? undefined : resolve(cwd, path);
}

/**
 * Opens `postgres://…` with `pg`, anything else as a SQLite file (`sqlite:path`, a plain path,
 * or `:memory:`) with WAL and foreign keys on.
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): OpenDatabase {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      // A database that accepts connections but stalls must fail requests (503), not hang them.
      connectionTimeoutMillis: 5000,
      query_timeout: 15_000,
      keepAlive: true,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
      types: {
        // Times are bigint epoch milliseconds: well inside Number's exact range.
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID
            ? (value: string) => Number(value)
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection dropped by the server (restart, failover, network) is reported here;
    // unhandled it would crash the process. The pool discards the connection and opens a new
    // one on the next query, whose own failure the request reports (503).
    pool.on('error', () => undefined);
    // A connection killed while checked out (pg_terminate_backend, failover) reports on the
    // client itself: the query in flight fails on its own (503), the pool drops the client.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const location = redactedUrl(url);
    return {
      db: new Kysely<Database>({ dialect: new SearchPathPostgresDialect({ pool }) }),
      dialect: 'postgres',
      location,
    };
  }
  const file = sqliteFile(url, options.cwd) ?? ':memory:';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const SQLite = loadSqlite();
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process kill (kill -9) with every committed write.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return {
    db: new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    }),
    dialect: 'sqlite',
    location: file,
  };
}
