import type { CoreContext } from '../context.js';
import type { Client } from '../clients/client.js';
import { createClient } from '../clients/create-client.js';

/** The first-party client the auth API's token pairs (`/api/v1/auth/*`) are issued to. */
export const AUTH_API_CLIENT_NAME = 'Portcullis Auth API';

/** Finds or creates it (a password client: password and refresh grants, no consent). */
export async function ensureAuthApiClient(ctx: CoreContext): Promise<Client> {
  const find = async () =>
    (await ctx.repos.clients.list({ includeRevoked: false })).find(
      (c) => c.kind === 'password' && c.name === AUTH_API_CLIENT_NAME,
    );
  const existing = await find();
  if (existing) return existing;
  await createClient(ctx, { name: AUTH_API_CLIENT_NAME, kind: 'password', skipConsent: true });
  // Two processes starting together may both create one: every node then uses the oldest.
  return (await find())!;
}
