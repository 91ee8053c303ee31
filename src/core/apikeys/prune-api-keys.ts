import type { CoreContext } from '../context.js';

const DAY_MS = 86_400_000;

/**
 * Deletes API keys that stopped working (expired, revoked, or rotated past their grace period)
 * more than `afterDays` days ago, with their usage, in batches. Until then a presented dead key
 * still gets its precise error (`api_key_expired`, `api_key_revoked`).
 */
export async function pruneApiKeys(
  ctx: CoreContext,
  options: { afterDays?: number; batchSize?: number } = {},
): Promise<number> {
  const cutoff =
    ctx.clock.now() - (options.afterDays ?? ctx.config.apiKeys.pruneAfterDays) * DAY_MS;
  const batchSize = options.batchSize ?? 500;
  let deleted = 0;
  for (;;) {
    const n = await ctx.repos.apiKeys.deleteDead(cutoff, batchSize);
    deleted += n;
    if (n < batchSize) return deleted;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** How many keys {@link pruneApiKeys} would delete. */
export function countPrunableApiKeys(ctx: CoreContext, afterDays?: number): Promise<number> {
  return ctx.repos.apiKeys.countDead(
    ctx.clock.now() - (afterDays ?? ctx.config.apiKeys.pruneAfterDays) * DAY_MS,
  );
}
