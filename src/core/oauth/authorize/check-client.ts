import type { CoreContext } from '../../context.js';
import { OAuthError } from '../errors.js';
import type { AuthorizationParams, AuthorizationRequest } from './authorization-request.js';

/** An unknown, revoked or unsuitable client is shown an error page, never redirected (§4.1.2.1). */
export async function checkClient(
  ctx: CoreContext,
  params: AuthorizationParams,
  request: Partial<AuthorizationRequest>,
): Promise<void> {
  if (!params.client_id)
    throw new OAuthError('invalid_request', 'client_id is required', { allowRedirect: false });
  const client = await ctx.repos.clients.findById(params.client_id);
  if (!client || client.revokedAt !== null) {
    throw new OAuthError('invalid_client', 'unknown or revoked client', { allowRedirect: false });
  }
  if (!client.grantTypes.includes('authorization_code')) {
    throw new OAuthError(
      'unauthorized_client',
      'this client may not use the authorization code flow',
      { allowRedirect: false },
    );
  }
  request.client = client;
}
