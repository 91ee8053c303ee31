import type { CoreContext } from '../context.js';
import { OAuthError, unauthorizedClient } from './errors.js';
import { authorizationCodeGrant } from './grants/authorization-code.js';
import { clientCredentialsGrant } from './grants/client-credentials.js';
import { passwordGrant } from './grants/password.js';
import { refreshTokenGrant } from './grants/refresh-token.js';
import { requireClientGrant, type GrantRequest } from './grants/grant-request.js';
import type { TokenResponse } from '../tokens/token-response.js';

const GRANTS: Record<string, (ctx: CoreContext, request: GrantRequest) => Promise<TokenResponse>> =
  {
    authorization_code: authorizationCodeGrant,
    client_credentials: clientCredentialsGrant,
    password: passwordGrant,
    refresh_token: refreshTokenGrant,
  };

export const SUPPORTED_GRANT_TYPES = Object.keys(GRANTS);

/**
 * Dispatches an authenticated token request to its grant (RFC 6749 §3.2).
 * @throws OAuthError unsupported_grant_type, unauthorized_client, or the grant's own errors.
 */
export async function handleTokenRequest(
  ctx: CoreContext,
  request: GrantRequest,
): Promise<TokenResponse> {
  const grantType = request.params.grant_type;
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
  const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
  if (!grant)
    throw new OAuthError('unsupported_grant_type', `grant_type "${grantType}" is not supported`);
  if (!requireClientGrant(request.client, grantType)) {
    throw unauthorizedClient(`this client may not use the ${grantType} grant`);
  }
  return grant(ctx, request);
}
