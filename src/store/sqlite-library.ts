import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/**
 * better-sqlite3 for the running Node: 12.x on Node 20, 13.x on Node 22 and later.
 *
 * 12.x aborts Node 24 (`Assertion failed: (env) != nullptr` in RemoveEnvironmentCleanupHook
 * when a Statement is garbage-collected: WiseLibs/better-sqlite3#1515), and 13.x, which fixes
 * it, crashes on Node 20. Both are installed (13.x under the alias `better-sqlite3-node22`,
 * with its binaries in the package, so no build step); the same API serves Kysely.
 */
export function loadSqlite(): typeof BetterSqlite3 {
  const major = Number(process.versions.node.split('.')[0]);
  return require(major >= 22 ? 'better-sqlite3-node22' : 'better-sqlite3') as typeof BetterSqlite3;
}
