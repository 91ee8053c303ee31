import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import type { LightMyRequestResponse } from 'fastify';
import { defineScope } from '../../src/core/scopes/manage-scopes.js';
import { REDIRECT } from './code-flow.js';
import { InjectBrowser, basic, pkcePair, postForm } from './oauth-inject.js';
import type { TestServer } from './server.js';

/**
 * Credentials of every kind the authority model knows, each obtained the way a real caller
 * obtains it: a sign-in through the Auth API, a third-party app's token through the authorize
 * and consent pages, a personal access token through its route, a client-credentials token
 * through `/oauth/token`.
 */

/** `{ authorization: Bearer … }`, or no header at all for `undefined`. */
export const bearer = (credential: string | undefined): Record<string, string> =>
  credential === undefined ? {} : { authorization: `Bearer ${credential}` };

/** The scopes the authority model names; defined here too so older servers accept them. */
export const AUTHORITY_SCOPES = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'roles',
  'organizations:read',
  'organizations:write',
  'api-keys:read',
  'api-keys:write',
  'api-keys:admin',
  'users:read',
  'users:write',
  'roles:read',
  'roles:write',
];

/** Defines any of `AUTHORITY_SCOPES` the server lacks (keeps existing descriptions). */
export async function defineAuthorityScopes(server: TestServer): Promise<void> {
  for (const scope of AUTHORITY_SCOPES) {
    if (!(await server.portcullis.ctx.repos.scopes.find(scope)))
      await defineScope(server.portcullis.ctx, scope);
  }
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

/** `POST /api/v1/auth/login`: a session of `user`. */
export async function signIn(
  server: TestServer,
  user: { email: string; password: string },
): Promise<TokenPair> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: user.password },
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

/** `POST /api/v1/auth/switch-org` with `accessToken`: the raw response. */
export function switchOrg(
  server: TestServer,
  accessToken: string,
  organizationId: string,
): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method: 'POST',
    url: '/api/v1/auth/switch-org',
    headers: bearer(accessToken),
    payload: { organization_id: organizationId },
  });
}

/** A fresh session of `user` switched to `organizationId` (its own sign-in, so others live on). */
export async function orgSession(
  server: TestServer,
  user: { email: string; password: string },
  organizationId: string,
): Promise<TokenPair> {
  const { access_token } = await signIn(server, user);
  const switched = await switchOrg(server, access_token, organizationId);
  assert.equal(switched.statusCode, 200, switched.body);
  return switched.json();
}

/** A confidential third-party app (consent asked, not first-party) allowed `scopes`. */
export async function thirdPartyApp(
  server: TestServer,
  scopes: string[] = AUTHORITY_SCOPES,
): Promise<{ id: string; secret: string }> {
  const { client, secret } = await server.createClient({
    kind: 'authorization_code',
    redirectUris: [REDIRECT],
    scopes,
  });
  return { id: client.id, secret: secret! };
}

/**
 * A delegated access token: `user` signs in on the authorize page, approves `scope` on the
 * consent page, and the app exchanges the code (PKCE) at `/oauth/token`.
 */
export async function delegatedToken(
  server: TestServer,
  app: { id: string; secret: string },
  user: { email: string; password: string },
  scope: string,
): Promise<string> {
  const { verifier, challenge } = pkcePair();
  const location = await new InjectBrowser(server.app).authorize(
    {
      response_type: 'code',
      client_id: app.id,
      redirect_uri: REDIRECT,
      scope,
      state: 'matrix',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    },
    user.email,
    user.password,
  );
  const code = location.searchParams.get('code');
  assert.ok(code, `no code in ${location.toString()}`);
  const exchanged = await postForm(
    server.app,
    '/oauth/token',
    { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
    { authorization: basic(app.id, app.secret) },
  );
  assert.equal(exchanged.statusCode, 200, exchanged.body);
  return exchanged.json().access_token;
}

/** `POST /oauth/personal-access-tokens` with a session: the new token (must succeed). */
export async function personalToken(
  server: TestServer,
  sessionToken: string,
  scopes: string[],
): Promise<{ token: string; id: string }> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/oauth/personal-access-tokens',
    headers: bearer(sessionToken),
    payload: { name: `pat ${Date.now()}`, scopes },
  });
  assert.equal(response.statusCode, 201, response.body);
  const body = response.json() as { access_token: string; token: { id: string } };
  return { token: body.access_token, id: body.token.id };
}

/** A client-credentials client (created with `scopes`, or the default when omitted). */
export async function serviceClient(
  server: TestServer,
  scopes?: string[],
): Promise<{ id: string; secret: string }> {
  const { client, secret } = await server.createClient({
    kind: 'client_credentials',
    ...(scopes ? { scopes } : {}),
  });
  return { id: client.id, secret: secret! };
}

/** A client-credentials token (asking for `scope`, or for nothing). */
export async function serviceToken(
  server: TestServer,
  client: { id: string; secret: string },
  scope?: string,
): Promise<string> {
  const response = await postForm(
    server.app,
    '/oauth/token',
    { grant_type: 'client_credentials', ...(scope ? { scope } : {}) },
    { authorization: basic(client.id, client.secret) },
  );
  assert.equal(response.statusCode, 200, response.body);
  return response.json().access_token;
}

/** RFC 7662 introspection by `caller`: the JSON answer. */
export async function introspect(
  server: TestServer,
  caller: { id: string; secret: string },
  token: string,
): Promise<{ active: boolean; scope?: string; [claim: string]: unknown }> {
  const response = await postForm(
    server.app,
    '/oauth/introspect',
    { token },
    { authorization: basic(caller.id, caller.secret) },
  );
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

/**
 * The newest mail to `to` whose text matches `pattern` (and `accept`), quoted-printable soft breaks undone.
 * Mail may be sent from a queue, so this polls briefly (at most ~2 s) instead of sleeping.
 */
export async function mailTo(
  server: TestServer,
  to: string,
  pattern: RegExp,
  accept: (text: string) => boolean = () => true,
): Promise<string> {
  const folder = join(server.storageDir, 'mail');
  const deadline = Date.now() + 2000;
  for (;;) {
    let files: string[] = [];
    try {
      files = readdirSync(folder).sort();
    } catch {
      files = [];
    }
    const found = files
      .map((f) =>
        readFileSync(join(folder, f), 'utf8')
          .replace(/=\r?\n/g, '')
          .replace(/=3D/g, '='),
      )
      .filter(
        (m) => m.toLowerCase().includes(`to: ${to.toLowerCase()}`) && pattern.test(m) && accept(m),
      )
      .at(-1);
    if (found) return found;
    if (Date.now() > deadline) assert.fail(`no mail to ${to} matching ${pattern}`);
    await wait(20);
  }
}

/**
 * The newest invitation token mailed to `to` for the organization named `orgName`, other than
 * those in `seen` (an earlier invitation's mail is there until the new one arrives).
 */
export async function invitationToken(
  server: TestServer,
  to: string,
  orgName: string,
  seen: readonly string[] = [],
): Promise<string> {
  const escaped = orgName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const mail = await mailTo(server, to, new RegExp(`invited to ${escaped}`), (text) => {
    const token = text.match(/"token": "([A-Za-z0-9_-]+)"/)?.[1];
    return token !== undefined && !seen.includes(token);
  });
  const token = mail.match(/"token": "([A-Za-z0-9_-]+)"/)?.[1];
  assert.ok(token, `no invitation token mailed to ${to}`);
  return token;
}
