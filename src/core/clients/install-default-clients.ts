import type { CoreContext } from '../context.js';
import { ensurePersonalAccessClient } from '../tokens/personal-access-tokens.js';
import type { Client } from './client.js';
import { createClient } from './create-client.js';

export const PASSWORD_CLIENT_NAME = 'Password Grant Client';

export interface InstalledClient {
  client: Client;
  /** Whether this run created it (an existing one is reused, its secret not shown again). */
  created: boolean;
  /** The plaintext secret of a client created now; shown once. */
  secret: string | null;
}

/**
 * Passport's `install`: the personal access client and a password grant client, each created
 * only when no active one exists, so running it twice makes nothing twice.
 */
export async function installDefaultClients(
  ctx: CoreContext,
  options: { passwordClient?: boolean } = {},
): Promise<{ personalAccess: InstalledClient; password: InstalledClient | undefined }> {
  const before = await ctx.repos.clients.list({ includeRevoked: false });
  const hadPersonal = before.some((c) => c.kind === 'personal_access');
  const personal = await ensurePersonalAccessClient(ctx);
  const personalAccess = { client: personal, created: !hadPersonal, secret: null };
  if (options.passwordClient === false) return { personalAccess, password: undefined };
  const existing = before.find((c) => c.kind === 'password' && c.name === PASSWORD_CLIENT_NAME);
  if (existing) {
    return { personalAccess, password: { client: existing, created: false, secret: null } };
  }
  // First-party by nature: the app collects the user's password itself.
  const made = await createClient(ctx, {
    name: PASSWORD_CLIENT_NAME,
    kind: 'password',
    skipConsent: true,
  });
  return { personalAccess, password: { client: made.client, created: true, secret: made.secret } };
}
