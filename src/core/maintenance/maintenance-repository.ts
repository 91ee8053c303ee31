import type { IssuingGrant } from '../tokens/access-token-record.js';

/**
 * What `tokens:prune` and `purge` clean up, in the order they are cleaned: refresh tokens before
 * their families, so deleting a family never cascades over a large set at once.
 */
export const PRUNABLE_TABLES = [
  'access_tokens',
  'refresh_tokens',
  'refresh_token_families',
  'authorization_codes',
  'login_sessions',
] as const;
export type PrunableTable = (typeof PRUNABLE_TABLES)[number];

/** Access tokens of one client and grant, by state. */
export interface TokenCounts {
  clientId: string;
  grantType: IssuingGrant | null;
  active: number;
  expired: number;
  revoked: number;
}

/** Access tokens issued on one UTC day (`YYYY-MM-DD`). */
export interface DailyIssued {
  day: string;
  issued: number;
}

/** Row counts for `status` and `stats`. */
export interface TableCounts {
  clients: number;
  revokedClients: number;
  users: number;
  scopes: number;
  activeAccessTokens: number;
  activeRefreshFamilies: number;
  signingKeys: number;
}

/** Where a scope is named explicitly (wildcards that cover it do not count). */
export interface ScopeUsage {
  clients: number;
  activeAccessTokens: number;
  activeRefreshFamilies: number;
  consents: number;
}

/**
 * Aggregates and bulk deletes for administration. Dead rows are those expired or revoked
 * before a cutoff; a consumed refresh token of a live family is not dead (it is what detects
 * the reuse of a stolen token) until it expires.
 */
export interface MaintenanceRepository {
  countDead(table: PrunableTable, cutoff: number): Promise<number>;
  /** Deletes at most `limit` dead rows of `table`; returns how many it deleted. */
  deleteDead(table: PrunableTable, cutoff: number, limit: number): Promise<number>;
  tokenCounts(now: number): Promise<TokenCounts[]>;
  issuedPerDay(since: number): Promise<DailyIssued[]>;
  tableCounts(now: number): Promise<TableCounts>;
  scopeUsage(scope: string, now: number): Promise<ScopeUsage>;
}
