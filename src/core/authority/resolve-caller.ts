import type { CoreContext } from '../context.js';
import { isFirstPartyClient } from '../clients/client.js';
import { OAuthError } from '../oauth/errors.js';
import { looksLikeApiKey } from '../apikeys/key-format.js';
import { verifyApiKey } from '../apikeys/verify-api-key.js';
import { verifyAccessToken } from '../tokens/verify-access-token.js';
import type { Caller } from './caller.js';

const notActive = (message: string) => new OAuthError('invalid_token', message);

/**
 * Turns a presented credential (an access token or an API key, as sent in `Authorization:
 * Bearer`) into a caller of one kind: the one place every face asks "who is this?". What minted
 * the credential decides the kind: a personal access token is `personal`; a token with no user,
 * `service`; a user's token from a first-party client, `session`; from any other client,
 * `delegated`. A token acting for an organization the user has since left is dead.
 * @throws OAuthError invalid_token (401) without a credential or for one that is not live.
 */
export async function resolveCaller(
  ctx: CoreContext,
  credential: string | undefined,
): Promise<Caller> {
  if (!credential)
    throw new OAuthError('invalid_token', 'an access token is required', {
      missingCredentials: true,
    });
  if (looksLikeApiKey(credential)) {
    const verification = await verifyApiKey(ctx, credential);
    if (!verification.valid) throw notActive(verification.message);
    const { apiKey } = verification;
    return {
      kind: 'api_key',
      userId: apiKey.userId,
      clientId: null,
      apiKeyId: apiKey.id,
      org: apiKey.organizationId,
      scopes: apiKey.scopes,
      jti: null,
      refreshFamilyId: null,
    };
  }
  const active = await verifyAccessToken(ctx, credential);
  if (!active) throw notActive('the access token is not active');
  const { record } = active;
  const org = typeof active.claims.org === 'string' ? active.claims.org : null;
  if (org !== null && record.userId !== null) {
    if (!(await ctx.repos.organizations.isMember(org, record.userId)))
      throw notActive('the access token acts for an organization you no longer belong to');
  }
  let kind: Caller['kind'];
  if (record.userId === null) kind = 'service';
  else if (record.kind === 'personal') kind = 'personal';
  else {
    const client = await ctx.repos.clients.findById(record.clientId);
    kind = client !== undefined && isFirstPartyClient(client) ? 'session' : 'delegated';
  }
  return {
    kind,
    userId: record.userId,
    clientId: record.clientId,
    apiKeyId: null,
    org,
    scopes: record.scopes,
    jti: record.jti,
    refreshFamilyId: record.refreshFamilyId,
  };
}
