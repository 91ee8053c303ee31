import type { TestServer } from './server.js';
import { InjectBrowser, basic, pkcePair, postForm } from './oauth-inject.js';

export const REDIRECT = 'https://app.example.com/callback';

/** A confidential code client, a user, and a fresh authorization code obtained through the pages. */
export async function obtainCode(
  server: TestServer,
  scope = 'openid offline_access',
  clientOptions: { skipConsent?: boolean } = {},
) {
  const { client, secret } = await server.createClient({
    kind: 'authorization_code',
    redirectUris: [REDIRECT],
    ...clientOptions,
  });
  const user = await server.createUser();
  const { verifier, challenge } = pkcePair();
  const location = await new InjectBrowser(server.app).authorize(
    {
      response_type: 'code',
      client_id: client.id,
      redirect_uri: REDIRECT,
      scope,
      state: 'xyz',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    },
    user.email,
    user.password,
  );
  const code = location.searchParams.get('code')!;
  const exchange = (overrides: Record<string, string> = {}, auth = basic(client.id, secret!)) =>
    postForm(
      server.app,
      '/oauth/token',
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        ...overrides,
      },
      { authorization: auth },
    );
  const introspect = (token: string) =>
    postForm(
      server.app,
      '/oauth/introspect',
      { token },
      { authorization: basic(client.id, secret!) },
    ).then((r) => r.json() as { active: boolean; [k: string]: unknown });
  const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
    postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra },
      { authorization: basic(client.id, secret!) },
    );
  return { client, secret: secret!, user, code, verifier, location, exchange, introspect, refresh };
}
