import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { userInfo } from '../../core/tokens/userinfo.js';
import { requestCaller } from '../caller.js';
import { allowClientOrigin } from '../cors.js';
import { NO_STORE, oauthErrorSchema } from './schemas.js';

/** `GET|POST /oauth/userinfo` (OIDC Core §5.3). */
export async function userinfoRoutes(
  app: FastifyInstance,
  { ctx }: { ctx: CoreContext },
): Promise<void> {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { claims, clientId } = await userInfo(ctx, await requestCaller(ctx, request));
    const client = await ctx.repos.clients.findById(clientId);
    if (client) allowClientOrigin(request, reply, client);
    return reply.headers(NO_STORE).send(claims);
  };
  const schema = {
    tags: ['oidc'],
    summary: 'Claims about the signed-in user (needs a Bearer token with the openid scope)',
    security: [{ bearer: [] }],
    response: {
      200: {
        type: 'object',
        properties: { sub: { type: 'string' } },
        required: ['sub'],
        additionalProperties: true,
      },
      '4xx': oauthErrorSchema,
    },
  };
  app.get('/oauth/userinfo', { schema }, handler);
  app.post('/oauth/userinfo', { schema }, handler);
}
