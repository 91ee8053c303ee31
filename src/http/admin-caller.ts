import type { FastifyRequest } from 'fastify';
import type { CoreContext } from '../core/context.js';
import { OAuthError } from '../core/oauth/errors.js';
import { isFirstPartyClient } from '../core/clients/client.js';
import { can } from '../core/rbac/authorization.js';
import { parseScope, scopeAllows } from '../core/scopes/match.js';
import { verifyAccessToken } from '../core/tokens/verify-access-token.js';
import { bearerToken } from './bearer.js';

/**
 * Authorizes an administration call (`/api/v1/roles`, `/permissions`, `/users/{id}/roles`):
 * a user signed in to a first-party app whose roles grant `permission` (the `admin` role grants
 * all), or a service's client-credentials token whose scopes cover it. A third-party app's token
 * never carries its user's administrative power.
 * @throws OAuthError invalid_token (401); insufficient_scope (403).
 */
export async function requireAdministration(
  ctx: CoreContext,
  request: FastifyRequest,
  permission: string,
): Promise<{ userId: string | null }> {
  const token = bearerToken(request);
  if (!token)
    throw new OAuthError('invalid_token', 'an access token is required', {
      missingCredentials: true,
    });
  const active = await verifyAccessToken(ctx, token);
  if (!active) throw new OAuthError('invalid_token', 'the access token is not active');
  const refused = new OAuthError('insufficient_scope', `this needs the permission ${permission}`);
  const { userId } = active.record;
  if (userId === null) {
    if (!scopeAllows(parseScope(active.claims.scope), permission)) throw refused;
    return { userId: null };
  }
  const client = await ctx.repos.clients.findById(active.record.clientId);
  const firstParty = client !== undefined && isFirstPartyClient(client);
  if (!firstParty || active.record.kind === 'personal') throw refused;
  if (!(await can(ctx, userId, permission))) throw refused;
  return { userId };
}
