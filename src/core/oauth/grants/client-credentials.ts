import type { CoreContext } from '../../context.js';
import { parseScope } from '../../scopes/match.js';
import { resolveRequestedScopes } from '../../scopes/resolve-scopes.js';
import { unauthorizedClient } from '../errors.js';
import { issueTokenResponse, type TokenResponse } from '../../tokens/token-response.js';
import type { GrantRequest } from './grant-request.js';

/** RFC 6749 §4.4: a confidential client gets a token for itself (`sub` = client id). */
export async function clientCredentialsGrant(
  ctx: CoreContext,
  { client, params }: GrantRequest,
): Promise<TokenResponse> {
  if (client.secretDigest === null)
    throw unauthorizedClient('public clients cannot use client_credentials');
  const scopes = await resolveRequestedScopes(ctx, client, parseScope(params.scope));
  return issueTokenResponse(ctx, {
    grantType: 'client_credentials',
    client,
    user: null,
    scopes,
  });
}
