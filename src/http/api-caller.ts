import type { FastifyRequest } from 'fastify';
import type { CoreContext } from '../core/context.js';
import { OAuthError } from '../core/oauth/errors.js';
import { parseScope, scopeAllows } from '../core/scopes/match.js';
import { verifyAccessToken } from '../core/tokens/verify-access-token.js';
import { bearerToken } from './bearer.js';

/** Who calls an `/api/v1` management route: a user (their own things) or a service (all). */
export interface ApiCaller {
  /** The signed-in user; null for a client-credentials token, which administers everything. */
  userId: string | null;
  clientId: string;
}

/**
 * Authenticates a management call by its OAuth access token and checks the token grants
 * `scope`. A token with a user acts for that user; a client-credentials token (no user) acts
 * as an administrator.
 * @throws OAuthError invalid_token (401) without a live token; insufficient_scope (403).
 */
export async function apiCaller(
  ctx: CoreContext,
  request: FastifyRequest,
  scope: string,
): Promise<ApiCaller> {
  const token = bearerToken(request);
  if (!token) {
    throw new OAuthError('invalid_token', 'an access token is required', {
      missingCredentials: true,
    });
  }
  const active = await verifyAccessToken(ctx, token);
  if (!active) throw new OAuthError('invalid_token', 'the access token is not active');
  if (!scopeAllows(parseScope(active.claims.scope), scope))
    throw new OAuthError('insufficient_scope', `the access token lacks the scope ${scope}`);
  return { userId: active.record.userId, clientId: active.record.clientId };
}
