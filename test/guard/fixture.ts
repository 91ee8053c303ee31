import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { REDIS_URL } from '../helpers/dialects.js';
import { basic, postForm } from '../helpers/oauth-inject.js';
import { createApiKey } from '../../src/core/apikeys/create-api-key.js';
import type { UserClaims } from '../../src/core/users/user.js';
import { newId } from '../../src/core/ids.js';
import { createOrganization } from '../../src/core/rbac/manage-organizations.js';
import type { GuardOptions } from '../../src/guard/index.js';

/**
 * One listening Portcullis (SQLite, ES256) that adapter tests verify against over real HTTP:
 * its JWKS, its introspection endpoint, tokens from its token endpoint, keys from its database.
 */
export interface GuardSite {
  server: TestServer;
  issuer: string;
  /** A client-credentials token from the token endpoint. */
  clientToken(scope: string): Promise<string>;
  /** A password-grant token for a user whose roles, permissions and org are `claims`. */
  userToken(scope: string, claims: Partial<UserClaims>): Promise<string>;
  /** The same, with the refresh token the password grant gives too. */
  userTokens(
    scope: string,
    claims: Partial<UserClaims>,
  ): Promise<{ access_token: string; refresh_token: string }>;
  /** A token signed with the server's own key but with claims and header of our choosing. */
  forge(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** A JWT with `alg: none`. */
  unsigned(claims: Record<string, unknown>): string;
  /** A JWT signed with HS256 using the server's public JWK as the HMAC secret. */
  hs256WithPublicKey(claims: Record<string, unknown>): Promise<string>;
  /** Standard claims of a valid token (override any). */
  claims(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** An organization's id (a new one each call). */
  organization(): Promise<string>;
  apiKey(scopes: string[], org?: string): Promise<string>;
  /** RFC 7009 revocation by the client the token was issued to. */
  revoke(token: string, client?: 'service' | 'password'): Promise<void>;
  /** The confidential client used for introspection. */
  introspection: NonNullable<GuardOptions['introspection']>;
  close(): Promise<void>;
}

export async function startGuardSite(): Promise<GuardSite> {
  const server = await startTestServer({
    listen: true,
    config: {
      // The server writes revoked jtis to Redis: the guards' deny-list.
      redisUrl: REDIS_URL,
      scopes: {
        'posts:read': 'Read posts',
        'posts:write': 'Write posts',
        'posts:*': 'Everything on posts',
        'users:read': 'Read users',
      },
    },
  });
  const issuer = server.url;
  const userClaims = new Map<string, UserClaims>();
  // Issue 14 fills roles and permissions from the database; here the test decides them.
  server.portcullis.ctx.userClaims = {
    claimsFor: async (id) =>
      userClaims.get(id) ?? {
        roles: [],
        permissions: [],
        org: null,
        orgRoles: [],
        orgPermissions: [],
      },
  };
  const service = await server.createClient({
    kind: 'client_credentials',
    scopes: ['posts:read', 'posts:write', 'posts:*', 'users:read'],
  });
  const password = await server.createClient({ kind: 'password' });
  const tokens = async (auth: string, form: Record<string, string>) => {
    const response = await postForm(server.app, '/oauth/token', form, { authorization: auth });
    if (response.statusCode !== 200) throw new Error(`token: ${response.body}`);
    return response.json() as { access_token: string; refresh_token: string };
  };
  const token = async (auth: string, form: Record<string, string>) =>
    (await tokens(auth, form)).access_token;
  const passwordAuth = basic(password.client.id, password.secret!);
  const serviceAuth = basic(service.client.id, service.secret!);
  const claims = (overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(server.clock.now() / 1000);
    return {
      iss: issuer,
      aud: issuer,
      sub: 'user-1',
      client_id: service.client.id,
      scope: 'posts:read',
      jti: newId(),
      iat: now,
      exp: now + 600,
      ...overrides,
    };
  };
  const userTokens = async (scope: string, granted: Partial<UserClaims>) => {
    const user = await server.createUser();
    userClaims.set(user.id, {
      roles: [],
      permissions: [],
      org: null,
      orgRoles: [],
      orgPermissions: [],
      ...granted,
    });
    return tokens(passwordAuth, {
      grant_type: 'password',
      username: user.email,
      password: user.password,
      scope,
    });
  };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    server,
    issuer,
    claims,
    clientToken: (scope) => token(serviceAuth, { grant_type: 'client_credentials', scope }),
    userTokens,
    async userToken(scope, granted) {
      return (await userTokens(scope, granted)).access_token;
    },
    async forge(body, header = {}) {
      const { kid, alg, privateKey } = server.portcullis.ctx.keys.signing;
      return new CompactSign(new TextEncoder().encode(JSON.stringify(body)))
        .setProtectedHeader({ alg, kid, typ: 'at+jwt', ...header })
        .sign(privateKey);
    },
    unsigned: (body) => `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(body)}.`,
    async hs256WithPublicKey(body) {
      const { kid } = server.portcullis.ctx.keys.signing;
      const jwks = (await (await fetch(`${issuer}/.well-known/jwks.json`)).json()) as {
        keys: Array<Record<string, unknown>>;
      };
      const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
      return new CompactSign(new TextEncoder().encode(JSON.stringify(body)))
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
        .sign(secret);
    },
    async organization() {
      const org = await createOrganization(server.portcullis.ctx, {
        name: `Org ${newId().toLowerCase()}`,
      });
      return org.id;
    },
    async apiKey(scopes, org) {
      const { key } = await createApiKey(server.portcullis.ctx, {
        name: 'guard test',
        scopes,
        ...(org ? { organizationId: org } : {}),
      });
      return key;
    },
    async revoke(value, client = 'service') {
      const response = await postForm(
        server.app,
        '/oauth/revoke',
        { token: value },
        { authorization: client === 'service' ? serviceAuth : passwordAuth },
      );
      if (response.statusCode !== 200) throw new Error(`revoke: ${response.body}`);
    },
    introspection: {
      endpoint: `${issuer}/oauth/introspect`,
      clientId: service.client.id,
      clientSecret: service.secret!,
    },
    close: () => server.close(),
  };
}

/** A key pair the server never published: tokens it signs must be refused. */
export async function strangerKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { privateKey, jwk: await exportJWK(publicKey) };
}
