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
import type { Caller } from '../authority/caller.js';
import { callerMay, requirePermission, requireSession, requireUser } from '../authority/power.js';

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

/**
 * Signs the caller out: the presented access token and its refresh family end. Only a sign-in
 * signs out; other tokens are revoked at `/oauth/revoke`.
 * @throws OAuthError insufficient_scope (403) for any other caller.
 */
export async function logout(ctx: CoreContext, caller: Caller): Promise<void> {
  requireSession(caller, 'signing out');
  if (caller.jti) await ctx.repos.accessTokens.revoke(caller.jti, ctx.clock.now());
  if (caller.refreshFamilyId) await revokeRefreshFamily(ctx, caller.refreshFamilyId);
}

/** What `GET /api/v1/auth/me` answers. */
export interface Me {
  user: User;
  /** Null unless the caller may see the address (a sign-in, or the `email` scope). */
  email: string | null;
  org: string | null;
  roles: string[];
  permissions: string[];
  organizations: Organization[];
}

/**
 * The caller's user with the roles and permissions in force for the caller (the session's
 * organization context). Like userinfo: a third-party or personal token needs `profile`, and
 * the email address needs `email`.
 * @throws OAuthError insufficient_scope (403) without a user or the `profile` permission.
 */
export async function me(ctx: CoreContext, caller: Caller): Promise<Me> {
  requireUser(caller);
  await requirePermission(ctx, caller, 'profile');
  const user = await ctx.repos.users.findById(caller.userId);
  if (!user) throw new OAuthError('invalid_token', 'a valid access token is required');
  const grants = effectiveGrants(await ctx.repos.rbac.grantsOf(user.id), caller.org);
  const organizations = await ctx.repos.organizations.membershipsOf(user.id);
  const email = (await callerMay(ctx, caller, 'email')) ? user.email : null;
  return { user, email, org: caller.org, ...grants, organizations };
}

/**
 * Switches a sign-in to another organization the user is a member of: the presented access
 * token and its refresh family end, and a new pair acts for that organization (`org`,
 * `org_roles`, `org_permissions`); its refreshes keep it. Only a sign-in switches: no other
 * token is ever exchanged for a session.
 * @throws OAuthError insufficient_scope (403) for anything but a sign-in; access_denied (403)
 *   for an organization the user is not a member of.
 */
export async function switchOrganization(
  ctx: CoreContext,
  caller: Caller,
  organizationId: string,
): Promise<TokenPair> {
  requireSession(caller, 'switching the organization');
  const user = await ctx.repos.users.findById(caller.userId);
  const org = await ctx.repos.organizations.findById(organizationId);
  if (!user || !org || !(await ctx.repos.organizations.isMember(org.id, user.id)))
    throw new OAuthError('access_denied', 'you are not a member of that organization');
  const client = await ensureAuthApiClient(ctx);
  const response = await issueTokenResponse(ctx, {
    grantType: 'refresh_token',
    client,
    user,
    scopes: [],
    organizationId: org.id,
    authTime: ctx.clock.now(),
  });
  if (caller.jti) await ctx.repos.accessTokens.revoke(caller.jti, ctx.clock.now());
  if (caller.refreshFamilyId) await revokeRefreshFamily(ctx, caller.refreshFamilyId);
  return pair(response);
}
