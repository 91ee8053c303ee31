import type { CoreContext } from '../../context.js';
import { newId } from '../../ids.js';
import { digest, newSecret } from '../../secrets.js';
import type { AuthorizationRequest } from './authorization-request.js';

/**
 * Creates a single-use code bound to the client, redirect URI, PKCE challenge and nonce, and
 * returns the URL to send the browser to (with `state` and the RFC 9207 `iss`).
 */
export async function issueAuthorizationCode(
  ctx: CoreContext,
  request: AuthorizationRequest,
  user: { userId: string; authTime: number },
): Promise<string> {
  const code = newSecret();
  const now = ctx.clock.now();
  await ctx.repos.authorizationCodes.insert({
    id: newId(),
    digest: digest(code),
    clientId: request.client.id,
    userId: user.userId,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    nonce: request.nonce,
    authTime: user.authTime,
    expiresAt: now + ctx.config.authorizationCodeTtlSeconds * 1000,
    consumedAt: null,
    replayedAt: null,
    createdAt: now,
  });
  return buildRedirect(request.redirectUri, { code, state: request.state, iss: ctx.config.issuer });
}

/**
 * Appends parameters to a registered redirect URI (which has no fragment), keeping its own
 * query byte for byte (RFC 6749 §3.1.2): clients may compare the URI they registered exactly.
 */
export function buildRedirect(
  redirectUri: string,
  values: Record<string, string | null | undefined>,
): string {
  const added = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined) added.append(key, value);
  }
  const query = added.toString();
  if (!query) return redirectUri;
  const separator = !redirectUri.includes('?')
    ? '?'
    : redirectUri.endsWith('?') || redirectUri.endsWith('&')
      ? ''
      : '&';
  return `${redirectUri}${separator}${query}`;
}
