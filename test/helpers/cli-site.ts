import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli.js';
import { createPostgresDatabase, type TestDialect } from './dialects.js';
import { startTestServer, type TestServer } from './server.js';
import type { ConfigInput } from '../../src/config/schema.js';

/**
 * One installation driven through the real built CLI (a child process, no TTY): a temp folder
 * as working directory (`storage/` holds the SQLite file and the keys), or a fresh PostgreSQL
 * database through `DATABASE_URL`. `server()` opens an in-process server on the same database
 * and storage, to issue real tokens and see what the CLI changed.
 */
export interface CliSite {
  dialect: TestDialect;
  cwd: string;
  env: Record<string, string>;
  run(
    args: string[],
    env?: Record<string, string>,
  ): { code: number | null; stdout: string; stderr: string };
  /** Runs a command that must succeed and parses its `--json` output. */
  json<T = any>(args: string[]): T; // any: each command's shape is asserted by the test reading it
  server(config?: ConfigInput): Promise<TestServer>;
  close(): Promise<void>;
}

export async function cliSite(dialect: TestDialect): Promise<CliSite> {
  const cwd = mkdtempSync(join(tmpdir(), 'portcullis-cli-'));
  const database = dialect === 'postgres' ? await createPostgresDatabase() : undefined;
  const env: Record<string, string> = database ? { DATABASE_URL: database.url } : {};
  const servers: TestServer[] = [];
  const site: CliSite = {
    dialect,
    cwd,
    env,
    run: (args, extra = {}) => runCli(args, { cwd, env: { ...env, ...extra } }),
    json(args) {
      const result = site.run(args);
      if (result.code !== 0) {
        throw new Error(`portcullis ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      }
      return JSON.parse(result.stdout);
    },
    async server(config = {}) {
      const server = await startTestServer({
        config: {
          databaseUrl: database?.url ?? `sqlite:${join(cwd, 'storage', 'portcullis.db')}`,
          storageDir: join(cwd, 'storage'),
          signingAlgorithm: 'RS256',
          ...config,
        },
      });
      servers.push(server);
      return server;
    },
    async close() {
      for (const server of servers) await server.close();
      await database?.drop();
      rmSync(cwd, { recursive: true, force: true });
    },
  };
  return site;
}
