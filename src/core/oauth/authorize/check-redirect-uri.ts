import { redirectUriMatches } from '../../clients/redirect-uri.js';
import { OAuthError } from '../errors.js';
import type { AuthorizeCheck } from './authorization-request.js';

/**
 * The redirect URI must equal a registered one exactly. It may be omitted only when the client
 * registered exactly one. A mismatch is shown, never redirected to.
 */
export const checkRedirectUri: AuthorizeCheck = (params, request) => {
  const registered = request.client!.redirectUris;
  const presented = params.redirect_uri;
  if (presented === undefined) {
    if (registered.length !== 1)
      throw new OAuthError('invalid_request', 'redirect_uri is required', { allowRedirect: false });
    request.redirectUri = registered[0]!;
    return;
  }
  if (!redirectUriMatches(registered, presented)) {
    throw new OAuthError('invalid_request', 'redirect_uri is not registered for this client', {
      allowRedirect: false,
    });
  }
  request.redirectUri = presented;
};
