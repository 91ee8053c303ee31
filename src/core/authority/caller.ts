/**
 * The kinds of caller a presented credential resolves to (docs/security.md, "Authority"). What
 * minted the credential decides its kind, and its kind decides how its power is computed.
 * - `session`: a user's sign-in to a first-party app (the Auth API, `POST /token`, a password
 *   client or a client marked first-party): the user's grants in the session's organization.
 * - `delegated`: a third-party app's token the user consented to: the user's grants ∩ its scopes.
 * - `personal`: a personal access token: the user's grants ∩ its scopes.
 * - `service`: a client-credentials token: the client's granted scopes, no user.
 * - `api_key`: an API key: its scopes ∩ its owner's current grants (its scopes when unowned).
 */
export type CallerKind = 'session' | 'delegated' | 'personal' | 'service' | 'api_key';

export const CALLER_KINDS: readonly CallerKind[] = [
  'session',
  'delegated',
  'personal',
  'service',
  'api_key',
];

/** Who is calling, resolved once per request by `resolveCaller`. */
export interface Caller {
  kind: CallerKind;
  /** The user the credential acts for; null for a service or an unowned API key. */
  userId: string | null;
  /** The OAuth client that minted the token; null for an API key. */
  clientId: string | null;
  /** The API key's id, for an `api_key` caller. */
  apiKeyId: string | null;
  /**
   * The organization the credential acts for (a switched session's `org`, an API key's
   * organization). Grants held in an organization count only when this is that organization.
   */
  org: string | null;
  /**
   * The credential's own scopes: the bound of a delegated, personal, service or API-key caller.
   * A session is bounded by its user's grants only, so its scopes do not limit it.
   */
  scopes: readonly string[];
  /** The access token's `jti` and refresh family (sign-out revokes both). */
  jti: string | null;
  refreshFamilyId: string | null;
}

/** A caller acting for a user: every kind but `service` and an unowned API key. */
export type UserCaller = Caller & { userId: string };

export const actsForUser = (caller: Caller): caller is UserCaller => caller.userId !== null;
