import type { CoreContext } from '../context.js';
import { OAuthError } from '../oauth/errors.js';
import { effectiveGrants } from '../rbac/authorization.js';
import { scopeAllows } from '../scopes/match.js';
import type { Caller } from './caller.js';
import { ADMINISTRATIVE_PERMISSIONS, SELF_SERVICE_PERMISSIONS } from './permissions.js';

/** What a caller may do in one context: every bound it has must allow a permission. */
export interface Power {
  /** Whether the caller may exercise `permission` (a pattern: covered by every bound). */
  allows(permission: string): boolean;
}

/**
 * The organization whose grants count for `caller` acting in `context`: a grant held in an
 * organization counts only for a credential acting for that organization. `undefined` context:
 * the caller's own.
 */
function grantsOrganization(caller: Caller, context: string | null | undefined): string | null {
  if (context === undefined) return caller.org;
  return context !== null && caller.org === context ? context : null;
}

/** A user's permissions in one organization context, with what every account holds. */
export async function userPermissions(
  ctx: CoreContext,
  userId: string,
  org: string | null,
): Promise<string[]> {
  const grants = effectiveGrants(await ctx.repos.rbac.grantsOf(userId), org);
  return [...grants.permissions, ...SELF_SERVICE_PERMISSIONS];
}

/**
 * The intersection of what minted the caller's credential and what it was granted (never the
 * union): a session has its user's grants; a delegated or personal token, the user's grants ∩
 * its scopes; a service, its scopes; an API key, its scopes ∩ its owner's current grants.
 * @param context the organization the action is in (null: global); default the caller's own.
 */
export async function callerPower(
  ctx: CoreContext,
  caller: Caller,
  context?: string | null,
): Promise<Power> {
  const bounds: Array<readonly string[]> = [];
  if (caller.userId !== null)
    bounds.push(await userPermissions(ctx, caller.userId, grantsOrganization(caller, context)));
  if (caller.kind !== 'session') bounds.push(caller.scopes);
  return { allows: (permission) => bounds.every((bound) => scopeAllows(bound, permission)) };
}

/** Whether the caller may exercise `permission` in `context` (see `callerPower`). */
export async function callerMay(
  ctx: CoreContext,
  caller: Caller,
  permission: string,
  context?: string | null,
): Promise<boolean> {
  // Administrative permissions act on the whole server: only global grants hold them.
  const where = ADMINISTRATIVE_PERMISSIONS.includes(permission) ? null : context;
  return (await callerPower(ctx, caller, where)).allows(permission);
}

/**
 * Refuses a caller without `permission` in `context`.
 * @throws OAuthError insufficient_scope (403).
 */
export async function requirePermission(
  ctx: CoreContext,
  caller: Caller,
  permission: string,
  context?: string | null,
): Promise<void> {
  if (!(await callerMay(ctx, caller, permission, context)))
    throw new OAuthError('insufficient_scope', `this needs the permission ${permission}`);
}

/**
 * No escalation: whoever grants (a role, a role's definition, an invitation with a role, an API
 * key's or a personal access token's scopes) grants only what they hold in that context.
 * @throws OAuthError insufficient_scope naming the first permission the caller lacks.
 */
export async function requireWithinPower(
  ctx: CoreContext,
  caller: Caller,
  permissions: readonly string[],
  context?: string | null,
): Promise<void> {
  const power = await callerPower(ctx, caller, context);
  const beyond = permissions.find((permission) => !power.allows(permission));
  if (beyond !== undefined)
    throw new OAuthError(
      'insufficient_scope',
      `you can only grant what you hold: ${beyond} is beyond your own permissions here`,
    );
}

/**
 * Refuses every caller but a user's own sign-in: what only signing in may do (switch the
 * organization, manage personal access tokens, sign out).
 * @throws OAuthError insufficient_scope (403).
 */
export function requireSession(
  caller: Caller,
  what: string,
): asserts caller is Caller & {
  userId: string;
} {
  if (caller.kind !== 'session' || caller.userId === null)
    throw new OAuthError(
      'insufficient_scope',
      `${what} needs a sign-in to a first-party app; a ${caller.kind.replace('_', ' ')} credential cannot`,
    );
}

/**
 * Refuses callers that act for no user (a service, an unowned API key) where the action is the
 * user's own (their organizations, their profile).
 * @throws OAuthError insufficient_scope (403).
 */
export function requireUser(caller: Caller): asserts caller is Caller & { userId: string } {
  if (caller.userId === null)
    throw new OAuthError('insufficient_scope', 'this acts for a user; the credential has none');
}
