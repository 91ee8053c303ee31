import type { CoreContext } from '../context.js';
import { newId } from '../ids.js';
import { digest, newSecret } from '../secrets.js';
import { invalidRequest } from '../oauth/errors.js';
import { GRANTS_OF_KIND, type Client, type ClientKind, type GrantType } from './client.js';
import { assertRedirectUris } from './redirect-uri.js';
import { assertClientScopes } from '../scopes/manage-scopes.js';

export interface CreateClientOptions {
  name: string;
  kind: ClientKind;
  /** Public clients (SPAs, native apps) get no secret and must use PKCE. */
  public?: boolean;
  redirectUris?: string[];
  scopes?: string[];
  grantTypes?: GrantType[];
  userId?: string | null;
  /** First-party app: no consent page. */
  skipConsent?: boolean;
}

export interface CreatedClient {
  client: Client;
  /** The plaintext secret: returned here once, stored only as its SHA-256 digest. */
  secret: string | null;
}

/**
 * Registers a client.
 * @throws OAuthError invalid_request for a bad name, redirect URI or kind/option mix;
 *   invalid_scope for an allowed scope that no defined scope matches.
 */
export async function createClient(
  ctx: CoreContext,
  options: CreateClientOptions,
): Promise<CreatedClient> {
  const name = options.name.trim();
  if (!name || name.length > 200) throw invalidRequest('client name must be 1 to 200 characters');
  const isPublic = options.public === true;
  if (isPublic && options.kind !== 'authorization_code') {
    throw invalidRequest('only authorization_code clients can be public');
  }
  const redirectUris = options.redirectUris ?? [];
  if (options.kind === 'authorization_code' && redirectUris.length === 0) {
    throw invalidRequest('an authorization_code client needs at least one redirect URI');
  }
  assertRedirectUris(redirectUris);
  if (options.scopes) await assertClientScopes(ctx, options.scopes);
  const secret = isPublic ? null : newSecret();
  const now = ctx.clock.now();
  const client: Client = {
    id: newId(),
    name,
    kind: options.kind,
    secretDigest: secret ? digest(secret) : null,
    redirectUris,
    grantTypes: options.grantTypes ?? GRANTS_OF_KIND[options.kind],
    // A service acts with its scopes alone: it gets none it was not given.
    scopes: options.scopes ?? (options.kind === 'client_credentials' ? [] : ['*']),
    userId: options.userId ?? null,
    skipConsent: options.skipConsent === true,
    revokedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.repos.clients.insert(client);
  return { client, secret };
}

/** Replaces a client's secret; the new plaintext is returned once. */
export async function regenerateClientSecret(ctx: CoreContext, client: Client): Promise<string> {
  if (client.secretDigest === null) throw invalidRequest('a public client has no secret');
  const secret = newSecret();
  await ctx.repos.clients.update(client.id, {
    secretDigest: digest(secret),
    updatedAt: ctx.clock.now(),
  });
  return secret;
}
