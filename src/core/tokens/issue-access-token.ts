import { CompactSign } from 'jose';

const encoder = new TextEncoder();
import type { CoreContext } from '../context.js';
import { seconds } from '../clock.js';
import { newId } from '../ids.js';
import { formatScope } from '../scopes/match.js';
import { isFirstPartyClient } from '../clients/client.js';
import { intersectScopes } from '../scopes/intersect.js';
import type { AccessTokenKind, AccessTokenRecord, IssuingGrant } from './access-token-record.js';

export interface IssueAccessTokenOptions {
  clientId: string;
  userId: string | null;
  scopes: string[];
  grantType: IssuingGrant;
  kind?: AccessTokenKind;
  name?: string | null;
  lifetimeSeconds: number;
  authorizationCodeId?: string | null;
  refreshFamilyId?: string | null;
  authTime?: number | null;
  /** The organization the token acts for (a switched session); null: none. */
  organizationId?: string | null;
}

export interface IssuedAccessToken {
  token: string;
  record: AccessTokenRecord;
  expiresIn: number;
}

/** The scope a third-party app or a personal access token needs to carry the user's grants. */
export const ROLES_SCOPE = 'roles';

/**
 * Whether the token carries the user's roles and permissions: a sign-in to a first-party app
 * always does; a third-party app's token and a personal access token only when granted the
 * `roles` scope, since the grants are the user's to share.
 */
async function carriesGrants(
  ctx: CoreContext,
  options: IssueAccessTokenOptions,
): Promise<'all' | 'bounded' | 'none'> {
  if (options.kind !== 'personal') {
    const client = await ctx.repos.clients.findById(options.clientId);
    if (client !== undefined && isFirstPartyClient(client)) return 'all';
  }
  return options.scopes.includes(ROLES_SCOPE) ? 'bounded' : 'none';
}

/**
 * Signs an RFC 9068 access token (`typ: at+jwt`) and records its `jti`, so introspection and
 * revocation stay authoritative. A user's global roles and permissions ride along (see
 * `carriesGrants`), and the organization's grants when the token acts for one.
 */
export async function issueAccessToken(
  ctx: CoreContext,
  options: IssueAccessTokenOptions,
): Promise<IssuedAccessToken> {
  const now = ctx.clock.now();
  const iat = seconds(now);
  const exp = iat + options.lifetimeSeconds;
  const jti = newId();
  // RFC 9068 §2.2 claims, built here in full: every value is ours and typed, so the JWS is
  // signed directly (jose's CompactSign) without SignJWT's claim-by-claim builder.
  const claims: Record<string, unknown> = {
    iss: ctx.config.issuer,
    sub: options.userId ?? options.clientId,
    aud: ctx.config.accessTokenAudience ?? ctx.config.issuer,
    exp,
    iat,
    jti,
    client_id: options.clientId,
    scope: formatScope(options.scopes),
  };
  if (options.userId) {
    const carries = await carriesGrants(ctx, options);
    if (carries !== 'none') {
      const user = await ctx.userClaims.claimsFor(options.userId, options.organizationId ?? null);
      // The `roles` scope shares the user's role names; a third-party or personal token's
      // permissions are the user's ∩ its scopes, never more.
      claims.roles = user.roles;
      claims.permissions =
        carries === 'bounded'
          ? intersectScopes(user.permissions, options.scopes)
          : user.permissions;
      if (user.org) {
        claims.org = user.org;
        claims.org_roles = user.orgRoles;
        claims.org_permissions = user.orgPermissions;
      }
    }
    if (options.authTime) claims.auth_time = seconds(options.authTime);
  }
  const { kid, alg, privateKey } = ctx.keys.signing;
  const token = await new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
    .sign(privateKey);
  const record: AccessTokenRecord = {
    jti,
    kind: options.kind ?? 'access',
    clientId: options.clientId,
    userId: options.userId,
    name: options.name ?? null,
    scopes: options.scopes,
    authorizationCodeId: options.authorizationCodeId ?? null,
    refreshFamilyId: options.refreshFamilyId ?? null,
    grantType: options.grantType,
    expiresAt: exp * 1000,
    revokedAt: null,
    createdAt: now,
  };
  await ctx.repos.accessTokens.insert(record);
  return { token, record, expiresIn: options.lifetimeSeconds };
}
