import type { CoreContext } from '../context.js';
import { newId } from '../ids.js';
import { digest, newSecret } from '../secrets.js';
import type { RefreshTokenFamily } from './refresh-token-record.js';

/** Starts a refresh-token family for a new grant. */
export async function startRefreshFamily(
  ctx: CoreContext,
  family: Omit<RefreshTokenFamily, 'id' | 'revokedAt' | 'createdAt'>,
): Promise<RefreshTokenFamily> {
  const record: RefreshTokenFamily = {
    ...family,
    id: newId(),
    revokedAt: null,
    createdAt: ctx.clock.now(),
  };
  await ctx.repos.refreshTokens.insertFamily(record);
  return record;
}

/** Issues the next refresh token of a family; returns the plaintext (stored only as digest). */
export async function issueRefreshToken(
  ctx: CoreContext,
  family: RefreshTokenFamily,
): Promise<string> {
  const token = newSecret();
  const now = ctx.clock.now();
  await ctx.repos.refreshTokens.insert({
    id: newId(),
    digest: digest(token),
    familyId: family.id,
    scopes: family.scopes,
    expiresAt: now + ctx.config.refreshTokenExpireDays * 86_400_000,
    consumedAt: null,
    createdAt: now,
  });
  return token;
}

/** Revokes a family and every access token minted from it. */
/** Ends every session of a user: their refresh families and access tokens; how many tokens. */
export async function revokeUserTokens(ctx: CoreContext, userId: string): Promise<number> {
  const now = ctx.clock.now();
  await ctx.repos.refreshTokens.revokeFamiliesByUser(userId, now);
  return ctx.repos.accessTokens.revokeByUser(userId, now);
}

export async function revokeRefreshFamily(ctx: CoreContext, familyId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.repos.refreshTokens.revokeFamily(familyId, now);
  await ctx.repos.accessTokens.revokeByRefreshFamily(familyId, now);
}
