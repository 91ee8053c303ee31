import { invalidRequest } from '../errors.js';
import { isValidS256Challenge } from '../pkce.js';
import type { AuthorizeCheck } from './authorization-request.js';

/**
 * RFC 7636 with S256 only (`plain` is refused). Required for public clients always, and for
 * every client while `requirePkce` is on.
 */
export function checkPkce(requirePkce: boolean): AuthorizeCheck {
  return (params, request) => {
    const challenge = params.code_challenge;
    const method = params.code_challenge_method;
    const isPublic = request.client!.secretDigest === null;
    if (!challenge) {
      if (method) throw invalidRequest('code_challenge_method given without code_challenge');
      if (isPublic || requirePkce)
        throw invalidRequest('code_challenge is required (PKCE with S256)');
      request.codeChallenge = null;
      request.codeChallengeMethod = null;
      return;
    }
    if (method !== 'S256') throw invalidRequest('code_challenge_method must be S256');
    if (!isValidS256Challenge(challenge))
      throw invalidRequest('code_challenge must be a 43-character base64url S256 hash');
    request.codeChallenge = challenge;
    request.codeChallengeMethod = 'S256';
  };
}
