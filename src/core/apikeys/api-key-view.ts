import type { CoreContext } from '../context.js';
import type { ApiKey } from './api-key.js';

const HOUR_MS = 3_600_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A key's state at `now`: what a dashboard shows. */
export function apiKeyStatus(key: ApiKey, now: number): string {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && key.expiresAt <= now) return 'expired';
  if (key.graceUntil !== null) return key.graceUntil > now ? 'rotating' : 'rotated';
  return 'active';
}

/** The public JSON shape of a key (API and CLI): never the key, never its digest. */
export const apiKeyView = (key: ApiKey, now: number) => ({
  id: key.id,
  name: key.name,
  prefix: key.displayPrefix,
  environment: key.environment,
  scopes: key.scopes,
  tier: key.tier,
  organization_id: key.organizationId,
  user_id: key.userId,
  metadata: key.metadata,
  status: apiKeyStatus(key, now),
  expires_at: iso(key.expiresAt),
  revoked_at: iso(key.revokedAt),
  rotated_at: iso(key.rotatedAt),
  grace_until: iso(key.graceUntil),
  replaced_by: key.replacedBy,
  last_used_at: iso(key.lastUsedAt),
  created_at: iso(key.createdAt),
  updated_at: iso(key.updatedAt),
});

/** Usage of one key over the last `hours` hours (counts not yet flushed included). */
export async function apiKeyUsageReport(ctx: CoreContext, key: ApiKey, hours: number) {
  await ctx.apiKeyUsage.flush();
  const now = ctx.clock.now();
  const since = now - (now % HOUR_MS) - (hours - 1) * HOUR_MS;
  const hourly = await ctx.repos.apiKeyUsage.hourly(key.id, since);
  const fresh = await ctx.repos.apiKeys.findById(key.id);
  return {
    id: key.id,
    last_used_at: iso(fresh?.lastUsedAt ?? key.lastUsedAt),
    total: hourly.reduce((n, h) => n + h.requests, 0),
    hourly: hourly.map((h) => ({ hour: new Date(h.hour).toISOString(), requests: h.requests })),
  };
}
