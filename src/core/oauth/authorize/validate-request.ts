import type { CoreContext } from '../../context.js';
import { parseScope } from '../../scopes/match.js';
import { resolveRequestedScopes } from '../../scopes/resolve-scopes.js';
import { OAuthError } from '../errors.js';
import type { AuthorizationParams, AuthorizationRequest } from './authorization-request.js';
import { checkClient } from './check-client.js';
import { checkRedirectUri } from './check-redirect-uri.js';
import { checkResponseType } from './check-response-type.js';
import { checkPkce } from './check-pkce.js';
import { checkPrompt } from './check-prompt.js';
import { checkIdTokenHint } from './check-id-token-hint.js';

export type ValidatedAuthorization =
  | { ok: true; request: AuthorizationRequest }
  /** `redirectUri` is set when the error may be sent back to the client. */
  | { ok: false; error: OAuthError; redirectUri: string | null; state: string | null };

/**
 * Validates an authorization request, in the order of RFC 6749 §4.1.2.1: first the client and
 * redirect URI (errors shown, never redirected), then everything else (errors redirected).
 */
export async function validateAuthorizationRequest(
  ctx: CoreContext,
  params: AuthorizationParams,
): Promise<ValidatedAuthorization> {
  const request: Partial<AuthorizationRequest> = {};
  try {
    await checkClient(ctx, params, request);
    checkRedirectUri(params, request);
    // From here on, request.redirectUri is trusted and errors go back to it.
    request.state = params.state ?? null;
    checkResponseType(params, request);
    checkPkce(ctx.config.requirePkce)(params, request);
    checkPrompt(params, request);
    await checkIdTokenHint(ctx, params, request);
    request.scopes = await resolveRequestedScopes(ctx, request.client!, parseScope(params.scope));
    return { ok: true, request: request as AuthorizationRequest };
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    const redirectable = error.allowRedirect && request.redirectUri !== undefined;
    return {
      ok: false,
      error,
      redirectUri: redirectable ? request.redirectUri! : null,
      state: request.state ?? null,
    };
  }
}
