import type { CoreContext } from '../context.js';
import type { Client } from '../clients/client.js';
import { invalidScope } from '../oauth/errors.js';
import { isValidScopeToken, scopeAllows } from './match.js';

/**
 * The scopes a client gets for a request: each requested scope must be defined and covered by
 * the client's allowed scopes; none requested means the configured defaults the client may have.
 * @throws OAuthError invalid_scope naming the first scope refused.
 */
export async function resolveRequestedScopes(
  ctx: CoreContext,
  client: Client,
  requested: readonly string[],
): Promise<string[]> {
  if (requested.length === 0) {
    return ctx.config.defaultScopes.filter((s) => scopeAllows(client.scopes, s));
  }
  const defined = new Set((await ctx.repos.scopes.list()).map((s) => s.name));
  for (const scope of requested) {
    if (!isValidScopeToken(scope) || !defined.has(scope))
      throw invalidScope(`unknown scope "${scope}"`);
    if (!scopeAllows(client.scopes, scope)) {
      throw invalidScope(`scope "${scope}" is not allowed for this client`);
    }
  }
  return [...requested];
}
