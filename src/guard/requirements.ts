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
 *
 * Deliberately broader than any one router: routers match percent-decoded paths, some ignore
 * case (Express by default) or accept an absolute URL as the request target, so a path is under
 * the prefix when its raw or decoded form is, compared without regard to case.
 */
export function underPrefix(path: string, prefix: string): boolean {
  const base = (prefix.endsWith('/') ? prefix.slice(0, -1) : prefix).toLowerCase();
  const covers = (pathname: string) => {
    const lower = pathname.toLowerCase().replace(/\/{2,}/g, '/');
    return lower === base || lower.startsWith(`${base}/`);
  };
  let raw = path;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    try {
      raw = new URL(raw).pathname;
    } catch {
      return true;
    }
  }
  const end = raw.search(/[?#]/);
  if (end >= 0) raw = raw.slice(0, end);
  if (covers(raw)) return true;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A path no router can decode either: refusing it costs nothing.
    return covers(raw.replace(/%[0-9a-f]{0,2}/gi, ''));
  }
  return covers(decoded);
}
