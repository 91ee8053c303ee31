import { scopeAllows } from '../core/scopes/match.js';

/** What kind of caller a request authenticated as. */
export type PrincipalKind = 'user' | 'client' | 'api_key';

/** Who a guarded request is: what route handlers read (`request.principal`). */
export interface Principal {
  kind: PrincipalKind;
  /** The user's id, the client's id (client credentials), or the owning user / key id. */
  sub: string;
  /** The active organization, when the token or key names one. */
  org: string | null;
  /** The OAuth client the token was issued to (null for API keys). */
  clientId: string | null;
  scopes: readonly string[];
  roles: readonly string[];
  /** Permission strings (`resource:action`, wildcards allowed). An API key's are its scopes. */
  permissions: readonly string[];
  /** The verified JWT claims, the introspection response, or the key's public fields. */
  claims: Readonly<Record<string, unknown>>;
  /** Whether the token's scopes cover `scope` (wildcards included). */
  tokenCan(scope: string): boolean;
  /** Whether the permissions cover `permission` (wildcards included). */
  can(permission: string): boolean;
  hasRole(role: string): boolean;
}

export interface PrincipalFields {
  kind: PrincipalKind;
  sub: string;
  org?: string | null | undefined;
  clientId?: string | null | undefined;
  scopes?: readonly string[];
  roles?: readonly string[];
  permissions?: readonly string[];
  claims: Readonly<Record<string, unknown>>;
}

class GuardPrincipal implements Principal {
  readonly kind: PrincipalKind;
  readonly sub: string;
  readonly org: string | null;
  readonly clientId: string | null;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
  readonly claims: Readonly<Record<string, unknown>>;
  constructor(fields: PrincipalFields) {
    this.kind = fields.kind;
    this.sub = fields.sub;
    this.org = fields.org ?? null;
    this.clientId = fields.clientId ?? null;
    this.scopes = fields.scopes ?? [];
    this.roles = fields.roles ?? [];
    this.permissions = fields.permissions ?? [];
    this.claims = fields.claims;
  }
  tokenCan(scope: string): boolean {
    return scopeAllows(this.scopes, scope);
  }
  can(permission: string): boolean {
    return scopeAllows(this.permissions, permission);
  }
  hasRole(role: string): boolean {
    return this.roles.includes(role);
  }
}

export function makePrincipal(fields: PrincipalFields): Principal {
  return new GuardPrincipal(fields);
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * The principal of a verified access token's claims, or of an active introspection response
 * (RFC 7662 uses the same names: `sub`, `client_id`, `scope`, plus our `org`, `roles`,
 * `permissions`).
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : null;
  const sub = typeof claims.sub === 'string' ? claims.sub : (clientId ?? '');
  const scope = typeof claims.scope === 'string' ? claims.scope : '';
  return makePrincipal({
    // A client-credentials token's subject is the client itself.
    kind: clientId !== null && sub === clientId ? 'client' : 'user',
    sub,
    org: typeof claims.org === 'string' ? claims.org : null,
    clientId,
    scopes: scope.split(' ').filter(Boolean),
    roles: strings(claims.roles),
    permissions: strings(claims.permissions),
    claims,
  });
}
