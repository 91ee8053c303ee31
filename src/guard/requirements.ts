import { GuardError } from './errors.js';
import type { Principal } from './principal.js';

/** A check on an authenticated principal: throws `GuardError` (403) when it fails. */
export type Requirement = (principal: Principal) => void;

/** Every scope must be granted to the token (wildcards in the token's scopes count). */
export const scopes =
  (...required: string[]): Requirement =>
  (principal) => {
    for (const scope of required) {
      if (!principal.tokenCan(scope)) {
        throw new GuardError('insufficient_scope', `the token lacks the scope ${scope}`, {
          requiredScope: scope,
        });
      }
    }
  };

/** At least one of the roles (seed 004's `require_roles(["admin", "moderator"])`). */
export const roles =
  (...anyOf: string[]): Requirement =>
  (principal) => {
    if (!anyOf.some((role) => principal.hasRole(role))) {
      throw new GuardError(
        'insufficient_role',
        `one of the roles ${anyOf.join(', ')} is required`,
        {
          requiredRole: anyOf.join(' '),
        },
      );
    }
  };

/** Every permission (wildcards in the principal's permissions count). */
export const permissions =
  (...required: string[]): Requirement =>
  (principal) => {
    for (const permission of required) {
      if (!principal.can(permission)) {
        throw new GuardError(
          'insufficient_permission',
          `the permission ${permission} is required`,
          {
            requiredPermission: permission,
          },
        );
      }
    }
  };

/** The principal must be acting in this organization (its token's or key's `org`). */
export const organization =
  (org: string): Requirement =>
  (principal) => {
    if (principal.org !== org) {
      throw new GuardError(
        'wrong_organization',
        `this resource belongs to another organization than the one the credential acts for`,
      );
    }
  };

/**
 * Whether `path` (a request path, query allowed) is `prefix` or below it: `/api/v1/protected`
 * covers `/api/v1/protected` and `/api/v1/protected/x`, not `/api/v1/protectedness`.
 */
export function underPrefix(path: string, prefix: string): boolean {
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const q = path.indexOf('?');
  const raw = q >= 0 ? path.slice(0, q) : path;
  const covers = (pathname: string) => pathname === base || pathname.startsWith(`${base}/`);
  // Routers match percent-decoded paths (`/api/%70rotected` reaches `/api/protected`), so the
  // decoded form is checked too: a request is protected when either form is under the prefix.
  if (covers(raw)) return true;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return false;
  }
  return covers(decoded.replace(/\/{2,}/g, '/'));
}
