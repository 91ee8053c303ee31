import type { Client } from './client.js';

/**
 * Whether a browser page at `origin` may read this client's responses (CORS): only the origins
 * of the client's own redirect URIs — where its single-page app lives — are allowed.
 */
export function clientAllowsOrigin(client: Client, origin: string): boolean {
  for (const uri of client.redirectUris) {
    try {
      const { protocol, origin: registered } = new URL(uri);
      if ((protocol === 'https:' || protocol === 'http:') && registered === origin) return true;
    } catch {
      // A stored URI that no longer parses allows nothing.
    }
  }
  return false;
}
