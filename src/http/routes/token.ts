import type { FastifyInstance } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { authenticateClient } from '../../core/clients/authenticate-client.js';
import { handleTokenRequest } from '../../core/oauth/token-endpoint.js';
import { OAuthError } from '../../core/oauth/errors.js';
import { singleValued } from '../form-params.js';
import { readClientCredentials } from '../client-credentials.js';
import { allowClientOrigin } from '../cors.js';
import { NO_STORE, oauthErrorSchema, tokenRequestBody } from './schemas.js';

const PUBLIC_CLIENT_GRANTS = new Set(['authorization_code', 'refresh_token']);

/** `POST /oauth/token` (RFC 6749 §3.2). */
export async function tokenRoutes(
  app: FastifyInstance,
  { ctx }: { ctx: CoreContext },
): Promise<void> {
  app.post(
    '/oauth/token',
    {
      schema: {
        tags: ['oauth'],
        summary: 'Token endpoint: authorization_code, client_credentials, password, refresh_token',
        consumes: ['application/x-www-form-urlencoded'],
        body: tokenRequestBody,
        security: [{ clientBasic: [] }, {}],
        response: {
          200: {
            type: 'object',
            properties: {
              access_token: { type: 'string' },
              token_type: { type: 'string', enum: ['Bearer'] },
              expires_in: { type: 'integer' },
              scope: { type: 'string' },
              refresh_token: { type: 'string' },
              id_token: { type: 'string' },
            },
            required: ['access_token', 'token_type', 'expires_in'],
          },
          '4xx': oauthErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const params = singleValued(request.body);
      const credentials = readClientCredentials(request, params);
      if (credentials.method === 'none' && !PUBLIC_CLIENT_GRANTS.has(params.grant_type ?? '')) {
        throw new OAuthError('invalid_client', 'client authentication is required');
      }
      const client = await authenticateClient(ctx, credentials);
      // Set before the grant runs, so a single-page app can also read the grant's errors.
      allowClientOrigin(request, reply, client);
      const response = await handleTokenRequest(ctx, { client, params, ip: request.ip });
      return reply.headers(NO_STORE).send(response);
    },
  );
}
