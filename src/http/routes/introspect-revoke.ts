import type { FastifyInstance } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { authenticateClient } from '../../core/clients/authenticate-client.js';
import { introspectToken } from '../../core/tokens/introspect.js';
import { revokeToken } from '../../core/tokens/revoke-token.js';
import { OAuthError, invalidRequest } from '../../core/oauth/errors.js';
import { singleValued } from '../form-params.js';
import { readClientCredentials } from '../client-credentials.js';
import { allowClientOrigin } from '../cors.js';
import { NO_STORE, oauthErrorSchema, tokenOnlyBody } from './schemas.js';

/** `POST /oauth/introspect` (RFC 7662) and `POST /oauth/revoke` (RFC 7009). */
export async function introspectRevokeRoutes(
  app: FastifyInstance,
  { ctx }: { ctx: CoreContext },
): Promise<void> {
  app.post(
    '/oauth/introspect',
    {
      schema: {
        tags: ['oauth'],
        summary:
          'Token introspection (RFC 7662); the caller authenticates as a confidential client',
        consumes: ['application/x-www-form-urlencoded'],
        body: tokenOnlyBody,
        response: {
          200: {
            type: 'object',
            properties: { active: { type: 'boolean' } },
            required: ['active'],
            additionalProperties: true,
          },
          '4xx': oauthErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const params = singleValued(request.body);
      const credentials = readClientCredentials(request, params);
      if (credentials.method === 'none')
        throw new OAuthError('invalid_client', 'introspection requires client authentication');
      await authenticateClient(ctx, credentials);
      if (!params.token) throw invalidRequest('token is required');
      return reply
        .headers(NO_STORE)
        .send(await introspectToken(ctx, params.token, params.token_type_hint));
    },
  );

  app.post(
    '/oauth/revoke',
    {
      schema: {
        tags: ['oauth'],
        summary:
          'Token revocation (RFC 7009): access or refresh token; 200 even for unknown tokens',
        consumes: ['application/x-www-form-urlencoded'],
        body: tokenOnlyBody,
        response: { '4xx': oauthErrorSchema },
      },
    },
    async (request, reply) => {
      const params = singleValued(request.body);
      const client = await authenticateClient(ctx, readClientCredentials(request, params));
      allowClientOrigin(request, reply, client);
      if (!params.token) throw invalidRequest('token is required');
      await revokeToken(ctx, client, params.token);
      return reply.headers(NO_STORE).status(200).send();
    },
  );
}
