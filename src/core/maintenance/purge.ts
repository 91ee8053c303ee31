import type { CoreContext } from '../context.js';
import { revokeClientTokens } from '../clients/manage-client.js';
import { pruneDeadRows, type PruneCounts, type PruneOptions } from './prune.js';

export interface PurgeOptions extends Pick<PruneOptions, 'batchSize' | 'onProgress'> {
  /** Also delete every active client, with its tokens, codes and consents. */
  all?: boolean;
}

export interface PurgeResult {
  pruned: PruneCounts;
  /** Clients deleted: the revoked ones, or every one with `all`. */
  clients: number;
  /** Retired signing keys no token can need any more. */
  signingKeys: number;
}

/**
 * Removes what no one can use any more: expired and revoked tokens, codes and sessions,
 * revoked clients (with everything that was theirs) and retired signing keys past their last
 * token's expiry. Active clients and their data are kept unless `all` is set. Users, scopes and
 * the active signing key are never touched.
 */
export async function purge(ctx: CoreContext, options: PurgeOptions = {}): Promise<PurgeResult> {
  const now = ctx.clock.now();
  const clients = (await ctx.repos.clients.list({ includeRevoked: true })).filter(
    (c) => options.all || c.revokedAt !== null,
  );
  // Their tokens go first, in batches (a revoked client's are already revoked); the client
  // rows then cascade over little, so a server on the same database is never blocked long.
  if (options.all) for (const client of clients) await revokeClientTokens(ctx, client.id);
  const pruned = await pruneDeadRows(ctx, { ...options, cutoff: ctx.clock.now() + 1 });
  for (const client of clients) await ctx.repos.clients.delete(client.id);
  const signingKeys = await ctx.repos.signingKeys.deleteExpired(now);
  return { pruned, clients: clients.length, signingKeys };
}
