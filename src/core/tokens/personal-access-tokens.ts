import type { CoreContext } from '../context.js';
import type { Client } from '../clients/client.js';
import type { Caller } from '../authority/caller.js';
import { requireSession, requireWithinPower } from '../authority/power.js';
import { createClient } from '../clients/create-client.js';
import { OAuthError, invalidRequest } from '../oauth/errors.js';
import { resolveRequestedScopes } from '../scopes/resolve-scopes.js';
import type { AccessTokenRecord } from './access-token-record.js';
import { issueAccessToken } from './issue-access-token.js';
import { isId } from '../ids.js';

export const PERSONAL_ACCESS_CLIENT_NAME = 'Personal Access Client';

/** The personal access client tokens are issued through; created once if missing (Passport's install). */
export async function ensurePersonalAccessClient(ctx: CoreContext): Promise<Client> {
  const existing = (await ctx.repos.clients.list({ includeRevoked: false })).find(
    (c) => c.kind === 'personal_access',
  );
  if (existing) return existing;
  return (await createClient(ctx, { name: PERSONAL_ACCESS_CLIENT_NAME, kind: 'personal_access' }))
    .client;
}

/**
 * The user a caller lets manage personal access tokens (Passport does this from the first-party
 * web session): only a user's own sign-in. A third-party app's token, which the user consented to
 * for a few scopes, must not mint a year-long token, and a personal access token or an API key
 * must not mint further ones.
 * @throws OAuthError insufficient_scope (403) for any other caller.
 */
export function personalAccessTokenOwner(caller: Caller): string {
  requireSession(caller, 'managing personal access tokens');
  return caller.userId;
}

export interface CreatedPersonalAccessToken {
  /** The token: shown once, never stored. */
  token: string;
  record: AccessTokenRecord;
}

/**
 * Issues a named, long-lived token for a user (Passport's `createToken`). Given `by`, the caller
 * creating it, every scope must be within that caller's power (no escalation); the CLI's
 * operator passes none.
 * @throws OAuthError invalid_request for a bad name, invalid_scope for an unknown scope,
 *   insufficient_scope for a scope beyond the caller's power.
 */
export async function createPersonalAccessToken(
  ctx: CoreContext,
  options: {
    userId: string;
    name: string;
    scopes: string[];
    expiresInDays?: number;
    by?: Caller;
  },
): Promise<CreatedPersonalAccessToken> {
  const name = options.name.trim();
  if (!name || name.length > 200) throw invalidRequest('token name must be 1 to 200 characters');
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw invalidRequest('token name must not contain control characters');
  const user = await ctx.repos.users.findById(options.userId);
  if (!user || user.disabledAt !== null) throw new OAuthError('invalid_request', 'user not found');
  const client = await ensurePersonalAccessClient(ctx);
  const scopes = await resolveRequestedScopes(ctx, client, options.scopes);
  // A personal access token acts for no organization: global grants bound it.
  if (options.by) await requireWithinPower(ctx, options.by, scopes, null);
  const days = options.expiresInDays ?? ctx.config.personalAccessTokenExpireDays;
  const issued = await issueAccessToken(ctx, {
    clientId: client.id,
    userId: user.id,
    scopes,
    kind: 'personal',
    grantType: 'personal_access',
    name,
    lifetimeSeconds: days * 86_400,
  });
  return { token: issued.token, record: issued.record };
}

/** A user's live personal access tokens, newest first. */
export function listPersonalAccessTokens(
  ctx: CoreContext,
  userId: string,
): Promise<AccessTokenRecord[]> {
  return ctx.repos.accessTokens.listPersonal(userId, ctx.clock.now());
}

/** Revokes one of the user's personal access tokens; false when it is not theirs or not live. */
export async function revokePersonalAccessToken(
  ctx: CoreContext,
  userId: string,
  jti: string,
): Promise<boolean> {
  if (!isId(jti)) return false;
  const record = await ctx.repos.accessTokens.findByJti(jti);
  if (!record || record.kind !== 'personal' || record.userId !== userId) return false;
  return ctx.repos.accessTokens.revoke(jti, ctx.clock.now());
}
