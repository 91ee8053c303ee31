import type { CoreContext } from '../context.js';
import type { Client, GrantType } from '../clients/client.js';
import type { User } from '../users/user.js';
import { formatScope } from '../scopes/match.js';
import { issueAccessToken } from './issue-access-token.js';
import { issueIdToken } from './issue-id-token.js';
import { issueRefreshToken, startRefreshFamily } from './refresh-tokens.js';
import type { RefreshTokenFamily } from './refresh-token-record.js';

/** RFC 6749 §5.1 successful token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

export interface GrantOutcome {
  grantType: GrantType;
  client: Client;
  user: User | null;
  scopes: string[];
  authorizationCodeId?: string | null;
  nonce?: string | null;
  authTime?: number | null;
  /** Continue this family (refresh grant) instead of starting one. */
  family?: RefreshTokenFamily;
  /** The organization the tokens act for (a switch); default: the family's, else the user's first. */
  organizationId?: string | null;
}

/**
 * Turns a validated grant into tokens: access token always; a refresh token when the client
 * may use the refresh grant and a user is present; an id_token when `openid` was granted.
 */
export async function issueTokenResponse(
  ctx: CoreContext,
  grant: GrantOutcome,
): Promise<TokenResponse> {
  const { client, user, scopes } = grant;
  let family = grant.family;
  if (!family && user && client.grantTypes.includes('refresh_token')) {
    family = await startRefreshFamily(ctx, {
      clientId: client.id,
      userId: user.id,
      scopes,
      authorizationCodeId: grant.authorizationCodeId ?? null,
      authTime: grant.authTime ?? null,
      nonce: grant.nonce ?? null,
      organizationId: grant.organizationId ?? null,
    });
  }
  const access = await issueAccessToken(ctx, {
    clientId: client.id,
    userId: user?.id ?? null,
    scopes,
    grantType: grant.grantType,
    lifetimeSeconds: ctx.config.accessTokenExpireMinutes * 60,
    authorizationCodeId: grant.authorizationCodeId ?? null,
    refreshFamilyId: family?.id ?? null,
    authTime: grant.authTime ?? null,
    organizationId: grant.organizationId ?? family?.organizationId ?? null,
  });
  const response: TokenResponse = {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    scope: formatScope(scopes),
  };
  if (family) response.refresh_token = await issueRefreshToken(ctx, family);
  if (user && scopes.includes('openid')) {
    response.id_token = await issueIdToken(ctx, {
      user,
      clientId: client.id,
      scopes,
      accessToken: access.token,
      nonce: grant.nonce ?? null,
      authTime: grant.authTime ?? null,
    });
  }
  return response;
}
