import type { Client } from '../../clients/client.js';

/** The form parameters of a token request, as received. */
export type TokenRequestParams = Record<string, string | undefined>;

export interface GrantRequest {
  client: Client;
  params: TokenRequestParams;
  /** The caller's address (behind trusted proxies: the forwarded one), for brute-force limits. */
  ip: string;
}

export function requireClientGrant(client: Client, grant: string): boolean {
  return (client.grantTypes as string[]).includes(grant);
}
