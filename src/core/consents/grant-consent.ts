import type { CoreContext } from '../context.js';

/** Remembers that the user approved these scopes for this client (added to earlier ones). */
export async function grantConsent(
  ctx: CoreContext,
  userId: string,
  clientId: string,
  scopes: string[],
): Promise<void> {
  const now = ctx.clock.now();
  const existing = await ctx.repos.consents.find(userId, clientId);
  const merged = [...new Set([...(existing?.scopes ?? []), ...scopes])].sort();
  await ctx.repos.consents.upsert({
    userId,
    clientId,
    scopes: merged,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  });
}
