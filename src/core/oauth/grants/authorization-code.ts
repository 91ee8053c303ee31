import type { CoreContext } from '../../context.js';
import { digest } from '../../secrets.js';
import { invalidGrant, invalidRequest } from '../errors.js';
import { isValidCodeVerifier, verifyS256 } from '../pkce.js';
import { issueTokenResponse, type TokenResponse } from '../../tokens/token-response.js';
import type { GrantRequest } from './grant-request.js';

/**
 * RFC 6749 §4.1.3 with RFC 7636: exchanges a single-use code. A second use of a code fails and
 * revokes every token the first use produced (RFC 6749 §4.1.2).
 */
export async function authorizationCodeGrant(
  ctx: CoreContext,
  { client, params }: GrantRequest,
): Promise<TokenResponse> {
  const code = params.code;
  if (!code) throw invalidRequest('code is required');
  const verifier = params.code_verifier;
  if (verifier !== undefined && !isValidCodeVerifier(verifier)) {
    throw invalidRequest('code_verifier must be 43 to 128 unreserved characters');
  }
  const now = ctx.clock.now();
  const codeDigest = digest(code);
  const issued = await ctx.repos.authorizationCodes.findByDigest(codeDigest);
  // A code presented by another client is refused without being spent.
  if (!issued || issued.clientId !== client.id) {
    throw invalidGrant('authorization code is invalid, expired or already used');
  }
  const record = await ctx.repos.authorizationCodes.consume(codeDigest, now);
  if (!record) {
    // Flag first, then revoke: an exchange racing this one checks the flag after writing its
    // tokens, so whichever order the two run in, no token of this code stays live.
    await ctx.repos.authorizationCodes.markReplayed(issued.id, now);
    await revokeTokensOfCode(ctx, issued.id);
    throw invalidGrant('authorization code is invalid, expired or already used');
  }
  if (record.expiresAt <= now)
    throw invalidGrant('authorization code is invalid, expired or already used');
  // RFC 6749 §4.1.3: required when the authorization request named it. It may be left out
  // only where the authorization request could leave it out too: one registered URI.
  const omittable =
    client.redirectUris.length === 1 && client.redirectUris[0] === record.redirectUri;
  if (params.redirect_uri === undefined ? !omittable : params.redirect_uri !== record.redirectUri) {
    throw invalidGrant('redirect_uri does not match the authorization request');
  }
  if (record.codeChallenge) {
    if (!verifier) throw invalidGrant('code_verifier is required');
    if (!verifyS256(verifier, record.codeChallenge))
      throw invalidGrant('code_verifier does not match the code_challenge');
  } else if (verifier) {
    throw invalidGrant('code_verifier given but no code_challenge was sent');
  }
  const user = await ctx.repos.users.findById(record.userId);
  if (!user || user.disabledAt !== null) throw invalidGrant('the user is no longer active');
  const response = await issueTokenResponse(ctx, {
    grantType: 'authorization_code',
    client,
    user,
    scopes: record.scopes,
    authorizationCodeId: record.id,
    nonce: record.nonce,
    authTime: record.authTime,
  });
  // A replay that ran while these tokens were being written revoked only what existed then:
  // finish its work. The response still goes out (one exchange wins), with dead tokens.
  if ((await ctx.repos.authorizationCodes.findByDigest(codeDigest))?.replayedAt != null) {
    await revokeTokensOfCode(ctx, record.id);
  }
  return response;
}

/** Revokes every token a code produced: its access tokens and refresh families. */
async function revokeTokensOfCode(ctx: CoreContext, codeId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.repos.accessTokens.revokeByAuthorizationCode(codeId, now);
  const families = await ctx.repos.refreshTokens.revokeFamiliesByAuthorizationCode(codeId, now);
  for (const family of families) await ctx.repos.accessTokens.revokeByRefreshFamily(family, now);
}
