/**
 * Headers of the HTML pages. Browsers apply CSP `form-action` to the redirects that follow a
 * form post too, so the login and consent forms must also be allowed to land on the client's
 * redirect URI (its origin, or its scheme for app schemes), or the browser blocks the code.
 */
export function pageHeaders(redirectUri?: string): Record<string, string> {
  let formAction = "'self'";
  if (redirectUri) {
    const url = new URL(redirectUri);
    formAction += ` ${url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol}`;
  }
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'`,
    'referrer-policy': 'no-referrer',
  };
}

/** `/oauth` under the issuer's path: behind a proxy the issuer may carry a prefix (`/auth`). */
export function oauthCookiePath(issuer: string): string {
  return `${new URL(issuer).pathname.replace(/\/+$/, '')}/oauth`;
}

/** `/account` under the issuer's path: where the pages of the mailed links live. */
export function accountPagePath(issuer: string): string {
  return `${new URL(issuer).pathname.replace(/\/+$/, '')}/account`;
}
