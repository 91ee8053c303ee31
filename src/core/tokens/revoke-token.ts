import { decodeJwt } from 'jose';
import type { CoreContext } from '../context.js';
import type { Client } from '../clients/client.js';
import { digest } from '../secrets.js';
import { isId } from '../ids.js';
import { looksLikeJwt } from './verify-access-token.js';
import { revokeRefreshFamily } from './refresh-tokens.js';

/**
 * RFC 7009: revokes an access token (its `jti`) or a refresh token (its whole family and the
 * family's access tokens). Tokens that are unknown, already dead or another client's are
 * ignored silently: the caller learns nothing about tokens it does not own.
 */
export async function revokeToken(ctx: CoreContext, client: Client, token: string): Promise<void> {
  const now = ctx.clock.now();
  if (looksLikeJwt(token)) {
    let jti: unknown;
    try {
      jti = decodeJwt(token).jti;
    } catch {
      return;
    }
    // The signature is not checked: the record found by jti must match the caller, and a
    // forged token can only name a jti, which revokes nothing the caller does not own.
    if (typeof jti !== 'string' || !isId(jti)) return;
    const record = await ctx.repos.accessTokens.findByJti(jti);
    if (record && record.clientId === client.id) await ctx.repos.accessTokens.revoke(jti, now);
    return;
  }
  if (token.length > 512) return;
  const record = await ctx.repos.refreshTokens.findByDigest(digest(token));
  if (!record) return;
  const family = await ctx.repos.refreshTokens.findFamily(record.familyId);
  if (family && family.clientId === client.id) await revokeRefreshFamily(ctx, family.id);
}
