/** The error codes of RFC 6749 §4.1.2.1 and §5.2, RFC 6750, RFC 7009 and OIDC Core §3.1.2.6. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'unsupported_token_type'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required';

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  invalid_scope: 400,
  access_denied: 403,
  server_error: 500,
  temporarily_unavailable: 503,
  unsupported_token_type: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  login_required: 400,
  consent_required: 400,
  interaction_required: 400,
};

/** Every OAuth error code this server can answer; docs/errors.md is tested against it. */
export const OAUTH_ERROR_CODES = Object.keys(STATUS) as OAuthErrorCode[];

/**
 * RFC 6749 §5.2 allows only printable ASCII without `"` and `\\` in `error_description`; our
 * messages quote what the client sent, which may hold anything.
 */
function describable(text: string): string {
  return text
    .replace(/"/g, "'")
    .replace(/\\/g, '/')
    .replace(/[^\x20-\x7e]/g, '?');
}

/**
 * An OAuth failure with its RFC code. Core throws it; the HTTP face renders it as
 * `{error, error_description}` or, on /authorize, as a redirect or an error page.
 */
export class OAuthError extends Error {
  override name = 'OAuthError';
  readonly status: number;
  /** False when the redirect URI cannot be trusted: the error is shown, never redirected. */
  readonly allowRedirect: boolean;
  /** Set when the caller is throttled: sent as `Retry-After` with status 429. */
  readonly retryAfterSeconds: number | undefined;
  /** The request carried no token at all (RFC 6750 §3.1: challenge without an error code). */
  readonly missingCredentials: boolean;
  readonly description: string;
  constructor(
    readonly code: OAuthErrorCode,
    description: string,
    options: {
      allowRedirect?: boolean;
      retryAfterSeconds?: number;
      missingCredentials?: boolean;
    } = {},
  ) {
    super(`${code}: ${description}`);
    this.description = describable(description);
    this.allowRedirect = options.allowRedirect ?? true;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.missingCredentials = options.missingCredentials ?? false;
    this.status = options.retryAfterSeconds !== undefined ? 429 : STATUS[code];
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}

export const invalidRequest = (d: string) => new OAuthError('invalid_request', d);
export const invalidClient = (d = 'client authentication failed') =>
  new OAuthError('invalid_client', d);
export const invalidGrant = (d: string) => new OAuthError('invalid_grant', d);
/** Too many failed sign-ins: 429 with Retry-After, code `invalid_grant` so clients fail safe. */
export const tooManyAttempts = (retryAfterSeconds: number) =>
  new OAuthError(
    'invalid_grant',
    `too many failed sign-in attempts; retry in ${retryAfterSeconds} seconds`,
    {
      retryAfterSeconds,
    },
  );
export const invalidScope = (d: string) => new OAuthError('invalid_scope', d);
export const unauthorizedClient = (d: string) => new OAuthError('unauthorized_client', d);
