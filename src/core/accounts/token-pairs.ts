import type { CoreContext } from '../context.js';
import { OAuthError } from '../oauth/errors.js';
import { signInRefusalError, tryPasswordGrant } from '../oauth/grants/password.js';
import { refreshTokenGrant } from '../oauth/grants/refresh-token.js';
import { issueTokenResponse, type TokenResponse } from '../tokens/token-response.js';
import { revokeRefreshFamily } from '../tokens/refresh-tokens.js';
import { verifyAccessToken } from '../tokens/verify-access-token.js';
import { effectiveGrants } from '../rbac/authorization.js';
import type { Organization } from '../rbac/organization.js';
import type { User } from '../users/user.js';
import { ensureAuthApiClient } from './auth-api-client.js';

/** Seed 004's token pair: what login and refresh answer. */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

const pair = (response: TokenResponse): TokenPair => ({
  access_token: response.access_token,
  refresh_token: response.refresh_token!,
  token_type: 'Bearer',
  expires_in: response.expires_in,
});

/**
 * Signs in with email and password (the password grant of the auth API's first-party client,
 * so the same account rules as every sign-in: see `signIn`): a token pair whose access token
 * carries `sub`, `org`, `roles` and `permissions`.
 * @throws OAuthError invalid_grant (one answer for an unknown email, a wrong password and a
 *   disabled user), or too many attempts (429 with Retry-After); access_denied (403) for the right
 *   password of an unconfirmed email when `accounts.requireVerifiedEmail` is on.
 */
export async function login(
  ctx: CoreContext,
  credentials: { email: string; password: string; ip: string },
): Promise<TokenPair> {
  const client = await ensureAuthApiClient(ctx);
  const result = await tryPasswordGrant(ctx, {
    client,
    params: { grant_type: 'password', username: credentials.email, password: credentials.password },
    ip: credentials.ip,
  });
  if (result.ok) return pair(result.tokens);
  // The auth API has answered 403 access_denied for an unconfirmed email since it had the rule;
  // its clients switch on that code, so it stays (the OAuth password grant says invalid_grant).
  if (result.reason === 'email_not_verified')
    throw new OAuthError(
      'access_denied',
      'confirm your email address first (see the mail we sent)',
    );
  throw signInRefusalError(result);
}

/** Rotates a refresh token (the same family rules as OAuth: reuse revokes the family). */
export async function refresh(ctx: CoreContext, refreshToken: string): Promise<TokenPair> {
  const client = await ensureAuthApiClient(ctx);
  return pair(
    await refreshTokenGrant(ctx, {
      client,
      params: { grant_type: 'refresh_token', refresh_token: refreshToken },
      ip: '',
    }),
  );
}

/** An access token of the auth API (or any first-party sign-in) and its user, or 401. */
export async function sessionOf(
  ctx: CoreContext,
  accessToken: string | undefined,
): Promise<{ user: User; jti: string; familyId: string | null; org: string | null }> {
  const active = accessToken ? await verifyAccessToken(ctx, accessToken) : undefined;
  if (!active?.record.userId) {
    throw new OAuthError('invalid_token', 'a valid access token is required', {
      missingCredentials: !accessToken,
    });
  }
  const user = await ctx.repos.users.findById(active.record.userId);
  if (!user) throw new OAuthError('invalid_token', 'a valid access token is required');
  return {
    user,
    jti: active.record.jti,
    familyId: active.record.refreshFamilyId,
    org: typeof active.claims.org === 'string' ? active.claims.org : null,
  };
}

/** Revokes the presented access token and its refresh family: the refresh token dies too. */
export async function logout(ctx: CoreContext, accessToken: string | undefined): Promise<void> {
  const session = await sessionOf(ctx, accessToken);
  await ctx.repos.accessTokens.revoke(session.jti, ctx.clock.now());
  if (session.familyId) await revokeRefreshFamily(ctx, session.familyId);
}

/** `GET /api/v1/auth/me`: the user with roles, permissions (in the token's org) and orgs. */
export async function me(
  ctx: CoreContext,
  accessToken: string | undefined,
): Promise<{
  user: User;
  org: string | null;
  roles: string[];
  permissions: string[];
  organizations: Organization[];
}> {
  const session = await sessionOf(ctx, accessToken);
  const grants = effectiveGrants(await ctx.repos.rbac.grantsOf(session.user.id), session.org);
  const organizations = await ctx.repos.organizations.membershipsOf(session.user.id);
  return { user: session.user, org: session.org, ...grants, organizations };
}

/**
 * Switches the session to another organization the user is a member of: the presented access
 * token and its refresh family end, and a new pair acts for that organization (`org` claim, the
 * grants in force there); its refreshes keep the organization.
 * @throws OAuthError invalid_token (401); access_denied (403) for an organization the user is
 *   not a member of.
 */
export async function switchOrganization(
  ctx: CoreContext,
  accessToken: string | undefined,
  organizationId: string,
): Promise<TokenPair> {
  const session = await sessionOf(ctx, accessToken);
  const org = await ctx.repos.organizations.findById(organizationId);
  if (!org || !(await ctx.repos.organizations.isMember(org.id, session.user.id)))
    throw new OAuthError('access_denied', 'you are not a member of that organization');
  const client = await ensureAuthApiClient(ctx);
  const response = await issueTokenResponse(ctx, {
    grantType: 'refresh_token',
    client,
    user: session.user,
    scopes: [],
    organizationId: org.id,
    authTime: ctx.clock.now(),
  });
  await ctx.repos.accessTokens.revoke(session.jti, ctx.clock.now());
  if (session.familyId) await revokeRefreshFamily(ctx, session.familyId);
  return pair(response);
}
