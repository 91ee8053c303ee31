import type { CoreContext } from '../context.js';
import type { DailyIssued, TokenCounts } from './maintenance-repository.js';

const DAY_MS = 86_400_000;

export interface ClientTokenStats extends TokenCounts {
  /** Null when the client has been deleted. */
  clientName: string | null;
}

export interface TokenStats {
  byClient: ClientTokenStats[];
  totals: { active: number; expired: number; revoked: number };
  /** Access tokens issued per UTC day over the last `days` days (days without any omitted). */
  issuedPerDay: DailyIssued[];
  days: number;
}

/** Access tokens by client and grant (active, expired, revoked) and issued per day. */
export async function tokenStats(ctx: CoreContext, options: { days: number }): Promise<TokenStats> {
  const now = ctx.clock.now();
  const since = Math.floor(now / DAY_MS) * DAY_MS - (options.days - 1) * DAY_MS;
  const [counts, issuedPerDay, clients] = await Promise.all([
    ctx.repos.maintenance.tokenCounts(now),
    ctx.repos.maintenance.issuedPerDay(since),
    ctx.repos.clients.list({ includeRevoked: true }),
  ]);
  const names = new Map(clients.map((c) => [c.id, c.name]));
  const byClient = counts.map((c) => ({ ...c, clientName: names.get(c.clientId) ?? null }));
  const totals = { active: 0, expired: 0, revoked: 0 };
  for (const c of byClient) {
    totals.active += c.active;
    totals.expired += c.expired;
    totals.revoked += c.revoked;
  }
  return { byClient, totals, issuedPerDay, days: options.days };
}
