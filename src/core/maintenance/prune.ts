import type { CoreContext } from '../context.js';
import { PRUNABLE_TABLES, type PrunableTable } from './maintenance-repository.js';

export type PruneCounts = Record<PrunableTable, number>;

export interface PruneProgress {
  table: PrunableTable;
  /** Rows of this table deleted so far. */
  deleted: number;
  /** Rows of this table that were dead when the prune started. */
  total: number;
}

export interface PruneOptions {
  /** Rows dead (expired or revoked) before this instant are removed. */
  cutoff: number;
  /** Rows per delete statement: each is a short transaction a running server waits on. */
  batchSize?: number;
  onProgress?: (progress: PruneProgress) => void;
}

/** How many rows a prune with this cutoff would remove, per table. */
export async function countPrunable(ctx: CoreContext, cutoff: number): Promise<PruneCounts> {
  const counts = {} as PruneCounts;
  for (const table of PRUNABLE_TABLES)
    counts[table] = await ctx.repos.maintenance.countDead(table, cutoff);
  return counts;
}

/**
 * Deletes expired and revoked tokens, codes and sessions in small batches, yielding between
 * them, so a server using the same database is never blocked for long. A consumed refresh
 * token of a live family is kept until it expires: it is what detects the reuse of a stolen one.
 */
export async function pruneDeadRows(ctx: CoreContext, options: PruneOptions): Promise<PruneCounts> {
  const batchSize = options.batchSize ?? 500;
  const totals = options.onProgress ? await countPrunable(ctx, options.cutoff) : undefined;
  const deleted = {} as PruneCounts;
  for (const table of PRUNABLE_TABLES) {
    deleted[table] = 0;
    for (;;) {
      const n = await ctx.repos.maintenance.deleteDead(table, options.cutoff, batchSize);
      deleted[table] += n;
      if (totals) {
        options.onProgress!({
          table,
          deleted: deleted[table],
          total: Math.max(totals[table], deleted[table]),
        });
      }
      if (n < batchSize) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return deleted;
}
