/**
 * Scope grammar (DESIGN.md): `resource:action`, with `*` as a wildcard for either part, and
 * `*` alone for everything. Plain names (`openid`, `email`) match only themselves or `*`.
 * This one matcher is used by OAuth tokens, API keys and guards.
 */

/** True when the single `granted` scope covers the `required` one. */
export function scopeCovers(granted: string, required: string): boolean {
  if (granted === '*' || granted === required) return true;
  const g = granted.indexOf(':');
  const r = required.indexOf(':');
  if (g < 0 || r < 0) return false;
  const gResource = granted.slice(0, g);
  const gAction = granted.slice(g + 1);
  return (
    (gResource === '*' || gResource === required.slice(0, r)) &&
    (gAction === '*' || gAction === required.slice(r + 1))
  );
}

/** True when any of `granted` covers `required`. */
export function scopeAllows(granted: Iterable<string>, required: string): boolean {
  for (const scope of granted) if (scopeCovers(scope, required)) return true;
  return false;
}

/** True when every required scope is covered. */
export function scopesAllowAll(granted: readonly string[], required: Iterable<string>): boolean {
  for (const scope of required) if (!scopeAllows(granted, scope)) return false;
  return true;
}

/** Splits a space-delimited scope parameter (RFC 6749 §3.3), dropping duplicates. */
export function parseScope(value: string | undefined | null): string[] {
  if (!value) return [];
  return [...new Set(value.split(' ').filter(Boolean))];
}

export function formatScope(scopes: readonly string[]): string {
  return scopes.join(' ');
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** A scope this server may define: `name` or `resource:action` (the action may be `*`). */
export const DEFINABLE_SCOPE = /^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.*-]+)?$/;

/** RFC 6749 §3.3 scope-token syntax. */
export function isValidScopeToken(scope: string): boolean {
  return SCOPE_TOKEN.test(scope);
}
