import assert from 'node:assert/strict';
import { basic, postForm } from './oauth-inject.js';
import type { TestServer } from './server.js';

/** A confidential client as `portcullis create --json` prints it. */
export interface ClientCredentials {
  id: string;
  client_secret: string;
}

/** POST /oauth/token as the client (HTTP Basic); the raw response. */
export const tokenRequest = (
  server: TestServer,
  client: ClientCredentials,
  form: Record<string, string>,
) =>
  postForm(server.app, '/oauth/token', form, {
    authorization: basic(client.id, client.client_secret),
  });

/** A token request that must succeed; its JSON body. */
export async function issueTokens(
  server: TestServer,
  client: ClientCredentials,
  form: Record<string, string>,
): Promise<{ access_token: string; refresh_token?: string }> {
  const response = await tokenRequest(server, client, form);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

/** RFC 7662 introspection by `caller`: whether the token is active. */
export async function introspectActive(
  server: TestServer,
  caller: ClientCredentials,
  token: string,
): Promise<boolean> {
  const response = await postForm(
    server.app,
    '/oauth/introspect',
    { token },
    { authorization: basic(caller.id, caller.client_secret) },
  );
  assert.equal(response.statusCode, 200, response.body);
  return response.json().active as boolean;
}

/** RFC 7009 revocation by the token's own client. */
export async function revokeAtServer(
  server: TestServer,
  client: ClientCredentials,
  token: string,
): Promise<void> {
  const response = await postForm(
    server.app,
    '/oauth/revoke',
    { token },
    { authorization: basic(client.id, client.client_secret) },
  );
  assert.equal(response.statusCode, 200, response.body);
}

/**
 * Sets the server's clock to real time, never backwards: the CLI reads the system clock, so
 * what the server revokes "now" is already past for the next CLI run.
 */
export const syncClock = (server: TestServer): void =>
  server.clock.set(Math.max(Date.now(), server.clock.now()));
