import type { CoreContext } from '../context.js';
import { NotFoundError } from '../entity-errors.js';
import { invalidRequest, invalidScope } from '../oauth/errors.js';
import type { ScopeUsage } from '../maintenance/maintenance-repository.js';
import { DEFINABLE_SCOPE, scopeCovers } from './match.js';
import type { ScopeDefinition } from './scope.js';

/**
 * Defines a scope (or changes its description). It can be requested at once, on every node.
 * Without a description, an existing scope keeps its own, and a new one takes the configured
 * description or, failing that, its name.
 * @throws OAuthError invalid_scope for a name outside the `name` / `resource:action` grammar.
 */
export async function defineScope(
  ctx: CoreContext,
  name: string,
  description?: string,
): Promise<{ scope: ScopeDefinition; created: boolean }> {
  if (!DEFINABLE_SCOPE.test(name) || name.length > 200) {
    throw invalidScope(
      `"${name}" is not a valid scope: use a name (letters, digits, _ . -) or resource:action`,
    );
  }
  if (description !== undefined && description.length > 1000)
    throw invalidRequest('a description is at most 1000 characters');
  const existing = await ctx.repos.scopes.find(name);
  await ctx.repos.scopes.upsert({
    name,
    description: description ?? existing?.description ?? ctx.config.scopes[name] ?? name,
    createdAt: ctx.clock.now(),
  });
  const scope = await ctx.repos.scopes.find(name);
  return { scope: scope!, created: existing === undefined };
}

export const isScopeInUse = (usage: ScopeUsage): boolean =>
  usage.clients + usage.activeAccessTokens + usage.activeRefreshFamilies + usage.consents > 0;

/** A scope that is in use and was not forced out: nothing was deleted. */
export class ScopeInUseError extends Error {
  override name = 'ScopeInUseError';
  constructor(
    readonly scope: string,
    readonly usage: ScopeUsage,
    message = `scope ${scope} is in use (${describeUsage(usage)}); use --force to delete it anyway`,
  ) {
    super(message);
  }
}

export function describeUsage(usage: ScopeUsage): string {
  const parts = [
    [usage.clients, 'client'],
    [usage.activeAccessTokens, 'active access token'],
    [usage.activeRefreshFamilies, 'refresh token family', 'refresh token families'],
    [usage.consents, 'consent'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : (many ?? `${one}s`)}`)
    .join(', ');
}

/**
 * Deletes a scope: new requests for it get `invalid_scope`, and configuration does not bring
 * it back at the next start. Tokens already granted keep it until they expire.
 * @throws NotFoundError for an unknown scope; ScopeInUseError when clients, live tokens or
 *   consents name it (or it is a configured default scope) and `force` is not set.
 */
export async function deleteScope(
  ctx: CoreContext,
  name: string,
  options: { force?: boolean } = {},
): Promise<{ usage: ScopeUsage }> {
  if (!(await ctx.repos.scopes.find(name))) throw new NotFoundError('scope', name);
  const usage = await ctx.repos.maintenance.scopeUsage(name, ctx.clock.now());
  if (!options.force) {
    if (ctx.config.defaultScopes.includes(name)) {
      throw new ScopeInUseError(
        name,
        usage,
        `scope ${name} is a default scope (defaultScopes in the configuration): remove it there first, or use --force`,
      );
    }
    if (isScopeInUse(usage)) throw new ScopeInUseError(name, usage);
  }
  await ctx.repos.scopes.delete(name, ctx.clock.now());
  return { usage };
}

/**
 * Checks the scopes a client may be granted: each is `*`, a defined scope, or a wildcard
 * (`posts:*`, `*:read`) that covers at least one defined scope.
 * @throws OAuthError invalid_scope naming the first that is none of these.
 */
export async function assertClientScopes(
  ctx: CoreContext,
  scopes: readonly string[],
): Promise<void> {
  const defined = (await ctx.repos.scopes.list()).map((s) => s.name);
  for (const scope of scopes) {
    if (scope === '*') continue;
    if (!defined.some((name) => scopeCovers(scope, name)))
      throw invalidScope(`unknown scope "${scope}" (see \`portcullis scopes\`)`);
  }
}
