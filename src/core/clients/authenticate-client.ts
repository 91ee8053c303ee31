import type { CoreContext } from '../context.js';
import { digest, digestsEqual } from '../secrets.js';
import { invalidClient } from '../oauth/errors.js';
import type { Client } from './client.js';

export interface ClientCredentials {
  clientId: string;
  /** Absent for public clients (`token_endpoint_auth_method: none`). */
  clientSecret?: string | undefined;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

// Compared against when the client is unknown, so both paths do the same work.
const UNKNOWN_CLIENT_DIGEST = digest('portcullis-unknown-client');

/**
 * Authenticates a client at the token, introspection and revocation endpoints.
 * @throws OAuthError invalid_client for an unknown, revoked or wrongly authenticated client.
 */
export async function authenticateClient(
  ctx: CoreContext,
  credentials: ClientCredentials,
): Promise<Client> {
  const client = await ctx.repos.clients.findById(credentials.clientId);
  if (credentials.method === 'none') {
    if (!client || client.revokedAt !== null || client.secretDigest !== null) throw invalidClient();
    return client;
  }
  const presented = digest(credentials.clientSecret ?? '');
  const matches = digestsEqual(presented, client?.secretDigest ?? UNKNOWN_CLIENT_DIGEST);
  if (!client || !matches || client.revokedAt !== null) throw invalidClient();
  return client;
}
