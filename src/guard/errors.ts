/** Machine-readable reasons a guard refuses a request (the JSON `error`). */
export type GuardErrorCode =
  | 'invalid_token'
  | 'insufficient_scope'
  | 'insufficient_role'
  | 'insufficient_permission'
  | 'wrong_organization'
  | 'invalid_api_key'
  | 'api_key_expired'
  | 'api_key_revoked'
  | 'rate_limit_exceeded';

const STATUS: Record<GuardErrorCode, number> = {
  invalid_token: 401,
  invalid_api_key: 401,
  api_key_expired: 401,
  api_key_revoked: 401,
  insufficient_scope: 403,
  insufficient_role: 403,
  insufficient_permission: 403,
  wrong_organization: 403,
  rate_limit_exceeded: 429,
};

export const GUARD_ERROR_CODES = Object.keys(STATUS) as GuardErrorCode[];

/** The JSON body of a refusal: `{error, message}` and, for a missing grant, what was needed. */
export interface GuardErrorBody {
  error: GuardErrorCode;
  message: string;
  required_scope?: string;
  required_role?: string;
  required_permission?: string;
  retry_after?: number;
}

/**
 * A refusal by a guard: HTTP status, RFC 6750 challenge and JSON body in one value. Adapters
 * answer with it; your own error handler can too (`reply.code(e.status).send(e.toJSON())`).
 */
export class GuardError extends Error {
  override readonly name = 'GuardError';
  readonly status: number;
  constructor(
    readonly code: GuardErrorCode,
    message: string,
    readonly details: {
      requiredScope?: string;
      requiredRole?: string;
      requiredPermission?: string;
      retryAfterSeconds?: number;
      /** The request had no credential at all (RFC 6750 §3.1: no error code in the challenge). */
      missingCredential?: boolean;
      /** Extra response headers (the `X-RateLimit-*` of a spent key). */
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }

  /** The `WWW-Authenticate` header (RFC 6750 §3) for a 401 or a missing scope, else undefined. */
  get wwwAuthenticate(): string | undefined {
    if (this.status === 401) {
      return this.details.missingCredential
        ? 'Bearer realm="portcullis"'
        : `Bearer realm="portcullis", error="invalid_token", error_description="${quoted(this.message)}"`;
    }
    if (this.code === 'insufficient_scope') {
      return `Bearer realm="portcullis", error="insufficient_scope", scope="${quoted(this.details.requiredScope ?? '')}"`;
    }
    return undefined;
  }

  /** Response headers of this refusal. */
  headers(): Record<string, string> {
    const headers: Record<string, string> = { ...this.details.headers };
    const challenge = this.wwwAuthenticate;
    if (challenge) headers['www-authenticate'] = challenge;
    if (this.details.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(this.details.retryAfterSeconds);
    return headers;
  }

  toJSON(): GuardErrorBody {
    const body: GuardErrorBody = { error: this.code, message: this.message };
    if (this.details.requiredScope) body.required_scope = this.details.requiredScope;
    if (this.details.requiredRole) body.required_role = this.details.requiredRole;
    if (this.details.requiredPermission) body.required_permission = this.details.requiredPermission;
    if (this.details.retryAfterSeconds !== undefined)
      body.retry_after = this.details.retryAfterSeconds;
    return body;
  }
}

// RFC 6750 §3: the values are quoted-strings; our messages never need escaping, but be sure.
const quoted = (value: string) => value.replace(/["\\]/g, '');
