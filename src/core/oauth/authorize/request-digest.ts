import { digest } from '../../secrets.js';
import type { AuthorizationRequest } from './authorization-request.js';

/**
 * Identifies one authorization request across its form posts (login, then consent): every
 * validated parameter, including the client's per-request `state`, `nonce` and PKCE challenge.
 */
export function authorizationRequestDigest(request: AuthorizationRequest): string {
  return digest(
    JSON.stringify([
      request.client.id,
      request.redirectUri,
      request.scopes,
      request.state,
      request.nonce,
      request.codeChallenge,
      [...request.prompt].sort(),
      request.maxAge,
      request.subjectHint,
    ]),
  );
}
