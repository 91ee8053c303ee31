import type { CoreContext } from '../context.js';
import { isId } from '../ids.js';
import { NotFoundError } from '../entity-errors.js';
import { invalidRequest } from '../oauth/errors.js';
import type { AccessTokenRecord } from '../tokens/access-token-record.js';
import type { Client } from './client.js';
import { assertRedirectUris } from './redirect-uri.js';
import { assertClientScopes } from '../scopes/manage-scopes.js';

/**
 * The client with this id.
 * @throws OAuthError invalid_request when `id` is not a ULID; NotFoundError when no such client.
 */
export async function findClient(ctx: CoreContext, id: string): Promise<Client> {
  if (!isId(id)) throw invalidRequest(`"${id}" is not a client id (a 26-character ULID)`);
  const client = await ctx.repos.clients.findById(id);
  if (!client) throw new NotFoundError('client', id);
  return client;
}

export interface ClientChanges {
  name?: string;
  /** Replaces the registered redirect URIs. */
  redirectUris?: string[];
  scopes?: string[];
  skipConsent?: boolean;
}

/**
 * Changes a client's name, redirect URIs, allowed scopes or first-party flag.
 * @throws OAuthError invalid_request for a bad value; NotFoundError for an unknown client.
 */
export async function updateClient(
  ctx: CoreContext,
  id: string,
  changes: ClientChanges,
): Promise<Client> {
  const client = await findClient(ctx, id);
  const patch: Parameters<typeof ctx.repos.clients.update>[1] = { updatedAt: ctx.clock.now() };
  if (changes.name !== undefined) {
    const name = changes.name.trim();
    if (!name || name.length > 200) throw invalidRequest('client name must be 1 to 200 characters');
    patch.name = name;
  }
  if (changes.redirectUris !== undefined) {
    assertRedirectUris(changes.redirectUris);
    if (client.kind === 'authorization_code' && changes.redirectUris.length === 0)
      throw invalidRequest('an authorization_code client needs at least one redirect URI');
    patch.redirectUris = changes.redirectUris;
  }
  if (changes.scopes !== undefined) {
    await assertClientScopes(ctx, changes.scopes);
    patch.scopes = changes.scopes;
  }
  if (changes.skipConsent !== undefined) patch.skipConsent = changes.skipConsent;
  const updated = await ctx.repos.clients.update(client.id, patch);
  if (!updated) throw new NotFoundError('client', id);
  return updated;
}

/** What revoking a client's tokens ended. */
export interface RevokedTokens {
  accessTokens: number;
  refreshFamilies: number;
}

/**
 * Revokes every access token and refresh token family of a client; the client stays usable.
 * @throws NotFoundError for an unknown client.
 */
export async function revokeClientTokens(ctx: CoreContext, id: string): Promise<RevokedTokens> {
  const client = await findClient(ctx, id);
  const now = ctx.clock.now();
  // Families first: a refresh racing this revocation cannot mint a token after the sweep.
  const refreshFamilies = await ctx.repos.refreshTokens.revokeFamiliesByClient(client.id, now);
  const accessTokens = await ctx.repos.accessTokens.revokeByClient(client.id, now);
  return { accessTokens, refreshFamilies };
}

/**
 * Revokes a client: it can no longer authenticate or get tokens, and every token it holds is
 * revoked. Revoking a revoked client changes nothing.
 */
export async function revokeClient(
  ctx: CoreContext,
  id: string,
): Promise<{ client: Client; alreadyRevoked: boolean; tokens: RevokedTokens }> {
  const client = await findClient(ctx, id);
  if (client.revokedAt !== null) {
    return { client, alreadyRevoked: true, tokens: { accessTokens: 0, refreshFamilies: 0 } };
  }
  const now = ctx.clock.now();
  const revoked = await ctx.repos.clients.update(client.id, { revokedAt: now, updatedAt: now });
  const tokens = await revokeClientTokens(ctx, client.id);
  return { client: revoked ?? client, alreadyRevoked: false, tokens };
}

/**
 * Makes a revoked client usable again. Its old tokens stay revoked: a restore is not an undo of
 * a compromise.
 */
export async function restoreClient(
  ctx: CoreContext,
  id: string,
): Promise<{ client: Client; wasRevoked: boolean }> {
  const client = await findClient(ctx, id);
  if (client.revokedAt === null) return { client, wasRevoked: false };
  // Servers still holding the client in cache minted tokens after `revoke` swept: old too.
  await revokeClientTokens(ctx, client.id);
  const restored = await ctx.repos.clients.update(client.id, {
    revokedAt: null,
    updatedAt: ctx.clock.now(),
  });
  return { client: restored ?? client, wasRevoked: true };
}

/** Deletes a client with its tokens, codes and consents (the database cascades). */
export async function deleteClient(ctx: CoreContext, id: string): Promise<Client> {
  const client = await findClient(ctx, id);
  await ctx.repos.clients.delete(client.id);
  return client;
}

/** A client's most recent access tokens (metadata only: the tokens themselves are never kept). */
export async function clientTokens(
  ctx: CoreContext,
  id: string,
  limit: number,
): Promise<{ client: Client; tokens: AccessTokenRecord[] }> {
  const client = await findClient(ctx, id);
  return { client, tokens: await ctx.repos.accessTokens.listByClient(client.id, limit) };
}
