import type { CoreContext } from '../context.js';
import type { Client } from '../clients/client.js';
import { invalidScope } from '../oauth/errors.js';
import { isValidScopeToken, scopeAllows } from './match.js';
import { isAdministrativeScope } from '../authority/permissions.js';

/**
 * Whether a client may be granted `scope`: covered by its allowed scopes, and an administrative
 * scope only when named outright (`roles:write` or `roles:*`), never through `*` or `*:write`:
 * administrative power is never a client's default. Personal access tokens are exempt: the
 * user's own grants bound them.
 */
export function clientMayHave(client: Client, scope: string): boolean {
  if (!isAdministrativeScope(scope) || client.kind === 'personal_access')
    return scopeAllows(client.scopes, scope);
  const resource = scope.split(':')[0];
  return client.scopes.some((allowed) => allowed === scope || allowed === `${resource}:*`);
}

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
    return ctx.config.defaultScopes.filter((s) => clientMayHave(client, s));
  }
  const defined = new Set((await ctx.repos.scopes.list()).map((s) => s.name));
  for (const scope of requested) {
    if (!isValidScopeToken(scope) || !defined.has(scope))
      throw invalidScope(`unknown scope "${scope}"`);
    if (!clientMayHave(client, scope)) {
      throw invalidScope(`scope "${scope}" is not allowed for this client`);
    }
  }
  return [...requested];
}
