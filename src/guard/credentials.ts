/**
 * Where a request's credential is: `Authorization: Bearer <token or key>`, HTTP Basic with an
 * API key as the user name and an empty password (`curl -u sk_live_…:`), or `X-API-Key`.
 * Framework-free: each adapter passes the two header values.
 */
export interface CredentialHeaders {
  authorization?: string | undefined;
  /** `X-API-Key`, read only when the guard accepts it. */
  apiKey?: string | undefined;
}

export interface PresentedCredential {
  value: string;
  /** Basic and X-API-Key carry only API keys; Bearer carries any of our credentials. */
  scheme: 'bearer' | 'basic' | 'header';
}

const BASIC = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i;

/** The credential of `Bearer <credential>` (scheme case-insensitive), or undefined. */
export function bearerCredential(authorization: string): string | undefined {
  // Checked by hand, not by a regular expression: this runs on every guarded request.
  if (authorization.length < 8 || authorization.slice(0, 6).toLowerCase() !== 'bearer') {
    return undefined;
  }
  const credential = authorization.slice(6).trim();
  return credential !== '' && /^[ \t]/.test(authorization[6]!) && !/\s/.test(credential)
    ? credential
    : undefined;
}

/** The credential a request presents, or undefined when it has none we understand. */
export function presentedCredential(
  headers: CredentialHeaders,
  acceptApiKeyHeader: boolean,
): PresentedCredential | undefined {
  const { authorization } = headers;
  if (authorization) {
    const bearer = bearerCredential(authorization);
    if (bearer !== undefined) return { value: bearer, scheme: 'bearer' };
    const basic = BASIC.exec(authorization);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      // The key is the user name; a password would mean these are not API-key credentials.
      return {
        value: colon >= 0 && colon === decoded.length - 1 ? decoded.slice(0, colon) : decoded,
        scheme: 'basic',
      };
    }
  }
  if (acceptApiKeyHeader && headers.apiKey)
    return { value: headers.apiKey.trim(), scheme: 'header' };
  return undefined;
}
