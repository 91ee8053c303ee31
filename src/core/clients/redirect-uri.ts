import { invalidRequest } from '../oauth/errors.js';

/**
 * A registrable redirect URI (RFC 6749 §3.1.2): absolute, no fragment; http only for
 * loopback hosts (RFC 8252 §7.3), or a private-use scheme for native apps.
 */
export function isRegistrableRedirectUri(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.hash || value.includes('#')) return false;
  // `https://good.example@evil.example/` reads as good.example to a person; wildcards are not
  // exact URIs (RFC 9700 §4.1.3).
  if (url.username || url.password || value.includes('*')) return false;
  if (url.protocol === 'https:') return true;
  if (url.protocol === 'http:') {
    return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  }
  // Private-use URI schemes such as com.example.app:/callback.
  return (
    /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol) &&
    !/^(javascript|data|file|vbscript):$/i.test(url.protocol)
  );
}

export function assertRedirectUris(uris: readonly string[]): void {
  for (const uri of uris) {
    if (!isRegistrableRedirectUri(uri)) {
      throw invalidRequest(
        `invalid redirect URI ${JSON.stringify(uri)}: use https, http on localhost, or an app scheme, without a fragment, credentials or wildcards`,
      );
    }
  }
}

/** Exact string comparison, as OAuth 2.1 and RFC 9700 §4.1.3 require: no prefix, no case folding. */
export function redirectUriMatches(registered: readonly string[], presented: string): boolean {
  return registered.includes(presented);
}
