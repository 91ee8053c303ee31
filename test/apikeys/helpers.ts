import Fastify, { type FastifyInstance } from 'fastify';
import { requireApiKey } from '../../src/http/api-key-auth.js';
import type { TestServer } from '../helpers/server.js';
import { issueTokens } from '../helpers/server-calls.js';

/**
 * The seed's API as a team would write it with Portcullis embedded: posts readable with
 * `posts:read`, writable with `posts:write`, deletable with `posts:delete`, and categories.
 */
export async function postsApi(server: TestServer): Promise<FastifyInstance> {
  const ctx = server.portcullis.ctx;
  const api = Fastify();
  api.get(
    '/v1/posts',
    { preHandler: requireApiKey(ctx, { scopes: ['posts:read'] }) },
    async (request) => ({
      posts: [],
      key: request.apiKey!.id,
      can_write: request.apiKey!.tokenCan('posts:write'),
    }),
  );
  api.post(
    '/v1/posts',
    { preHandler: requireApiKey(ctx, { scopes: ['posts:write'] }) },
    async (_, reply) => reply.code(201).send({ id: 1 }),
  );
  api.delete(
    '/v1/posts/:id',
    { preHandler: requireApiKey(ctx, { scopes: ['posts:delete'] }) },
    async () => ({
      deleted: true,
    }),
  );
  api.get(
    '/v1/categories',
    { preHandler: requireApiKey(ctx, { scopes: ['categories:read'] }) },
    async () => ({
      categories: [],
    }),
  );
  await api.ready();
  return api;
}

/** A user's access token allowed to manage their API keys (password grant). */
export async function userManagerToken(
  server: TestServer,
  email?: string,
): Promise<{ token: string; userId: string }> {
  const client = await server.createClient({ kind: 'password' });
  const user = await server.createUser(email);
  const { access_token } = await issueTokens(
    server,
    { id: client.client.id, client_secret: client.secret! },
    {
      grant_type: 'password',
      username: user.email,
      password: user.password,
      scope: 'api-keys:read api-keys:write',
    },
  );
  return { token: access_token, userId: user.id };
}

/** A client-credentials token: an administrator of every key. */
export async function adminToken(
  server: TestServer,
  scope = 'api-keys:read api-keys:write api-keys:admin',
): Promise<string> {
  const client = await server.createClient({
    kind: 'client_credentials',
    scopes: ['api-keys:read', 'api-keys:write', 'api-keys:admin'],
  });
  return (
    await issueTokens(
      server,
      { id: client.client.id, client_secret: client.secret! },
      { grant_type: 'client_credentials', scope },
    )
  ).access_token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
