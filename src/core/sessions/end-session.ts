import type { CoreContext } from '../context.js';
import type { Client } from '../clients/client.js';
import { redirectUriMatches } from '../clients/redirect-uri.js';
import { OAuthError, invalidRequest } from '../oauth/errors.js';
import { readIdTokenHint } from '../tokens/read-id-token-hint.js';

/** A validated OIDC RP-initiated logout request. */
export interface EndSessionRequest {
  client: Client | null;
  /** Where to send the browser afterwards: one of the client's registered redirect URIs. */
  postLogoutRedirectUri: string | null;
  state: string | null;
}

/**
 * OpenID Connect RP-Initiated Logout 1.0: `id_token_hint` (signature checked, expiry not — an
 * expired id_token is the usual hint), `client_id`, `post_logout_redirect_uri` (must equal one
 * of the client's registered redirect URIs), `state`.
 * @throws OAuthError invalid_request; never redirectable (the target is what is being checked).
 */
export async function validateEndSession(
  ctx: CoreContext,
  params: Record<string, string | undefined>,
): Promise<EndSessionRequest> {
  let clientId = params.client_id ?? null;
  if (params.id_token_hint) {
    const audience = (await readIdTokenHint(ctx, params.id_token_hint))?.aud;
    if (!audience)
      throw new OAuthError('invalid_request', 'id_token_hint is not an id_token of this server', {
        allowRedirect: false,
      });
    if (clientId && clientId !== audience) {
      throw new OAuthError('invalid_request', 'client_id does not match id_token_hint', {
        allowRedirect: false,
      });
    }
    clientId = audience;
  }
  const client = clientId ? await ctx.repos.clients.findById(clientId) : undefined;
  if (clientId && (!client || client.revokedAt !== null)) {
    throw new OAuthError('invalid_request', 'unknown or revoked client', { allowRedirect: false });
  }
  const target = params.post_logout_redirect_uri ?? null;
  if (target !== null) {
    if (!client) throw invalidRequest('post_logout_redirect_uri needs client_id or id_token_hint');
    if (!redirectUriMatches(client.redirectUris, target)) {
      throw new OAuthError(
        'invalid_request',
        'post_logout_redirect_uri is not registered for this client',
        { allowRedirect: false },
      );
    }
  }
  return { client: client ?? null, postLogoutRedirectUri: target, state: params.state ?? null };
}

/** Signs the browser out: its login session is deleted, so the cookie opens nothing. */
export async function endLoginSession(ctx: CoreContext, sessionId: string): Promise<void> {
  await ctx.repos.loginSessions.delete(sessionId);
}
