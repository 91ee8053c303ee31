import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import {
  createPersonalAccessToken,
  listPersonalAccessTokens,
  personalAccessTokenOwner,
  revokePersonalAccessToken,
} from '../../core/tokens/personal-access-tokens.js';
import type { AccessTokenRecord } from '../../core/tokens/access-token-record.js';
import { requestCaller } from '../caller.js';
import { NO_STORE, oauthErrorSchema } from './schemas.js';

const tokenView = (record: AccessTokenRecord) => ({
  id: record.jti,
  name: record.name,
  scopes: record.scopes,
  created_at: new Date(record.createdAt).toISOString(),
  expires_at: new Date(record.expiresAt).toISOString(),
});

const tokenViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    created_at: { type: 'string', format: 'date-time' },
    expires_at: { type: 'string', format: 'date-time' },
  },
} as const;

/**
 * Passport's personal access token routes, for the signed-in user (a sign-in to a first-party
 * app, see `personalAccessTokenOwner`): list, create (token shown once, its scopes within the
 * user's own permissions), revoke.
 */
export async function personalAccessTokenRoutes(
  app: FastifyInstance,
  { ctx }: { ctx: CoreContext },
): Promise<void> {
  const currentUser = async (request: FastifyRequest): Promise<string> =>
    personalAccessTokenOwner(await requestCaller(ctx, request));
  const common = { tags: ['personal access tokens'], security: [{ bearer: [] }] };

  app.get(
    '/oauth/personal-access-tokens',
    {
      schema: {
        ...common,
        summary: "List the user's personal access tokens",
        response: { 200: { type: 'array', items: tokenViewSchema }, '4xx': oauthErrorSchema },
      },
    },
    async (request, reply) => {
      const userId = await currentUser(request);
      return reply
        .headers(NO_STORE)
        .send((await listPersonalAccessTokens(ctx, userId)).map(tokenView));
    },
  );

  app.post<{ Body: { name: string; scopes?: string[] } }>(
    '/oauth/personal-access-tokens',
    {
      schema: {
        ...common,
        summary: 'Create a personal access token (the token is shown once)',
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            scopes: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 100 },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: { access_token: { type: 'string' }, token: tokenViewSchema },
          },
          '4xx': oauthErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const caller = await requestCaller(ctx, request);
      const created = await createPersonalAccessToken(ctx, {
        userId: personalAccessTokenOwner(caller),
        by: caller,
        name: request.body.name,
        scopes: request.body.scopes ?? [],
      });
      return reply
        .status(201)
        .headers(NO_STORE)
        .send({ access_token: created.token, token: tokenView(created.record) });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/oauth/personal-access-tokens/:id',
    {
      schema: {
        ...common,
        summary: 'Revoke a personal access token',
        response: { '4xx': oauthErrorSchema },
      },
    },
    async (request, reply) => {
      const userId = await currentUser(request);
      if (!(await revokePersonalAccessToken(ctx, userId, request.params.id))) {
        return reply
          .status(404)
          .headers(NO_STORE)
          .send({ error: 'not_found', error_description: 'no such personal access token' });
      }
      return reply.status(204).send();
    },
  );
}
