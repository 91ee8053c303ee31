import type { FastifyInstance } from 'fastify';
import type { CoreContext } from '../../core/context.js';

/** `GET /health`: the database answers and a signing key is published. 503 otherwise. */
export async function healthRoutes(
  app: FastifyInstance,
  { ctx }: { ctx: CoreContext },
): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        tags: ['diagnostics'],
        summary: 'Liveness and readiness: database and signing keys',
        response: {
          '2xx': {
            type: 'object',
            properties: {
              status: { type: 'string' },
              database: { type: 'string' },
              keys: { type: 'string' },
            },
          },
          '5xx': {
            type: 'object',
            properties: {
              status: { type: 'string' },
              database: { type: 'string' },
              keys: { type: 'string' },
            },
          },
        },
      },
    },
    async (request, reply) => {
      let database = 'ok';
      let keys = 'ok';
      try {
        const jwks = await ctx.keys.jwks();
        if (!jwks.keys.some((k) => k.kid === ctx.keys.signing.kid))
          keys = 'signing key not published';
      } catch (error) {
        request.log.error({ err: error }, 'health check: database unreachable');
        database = 'unreachable';
        keys = 'unknown';
      }
      const ok = database === 'ok' && keys === 'ok';
      return reply
        .status(ok ? 200 : 503)
        .header('cache-control', 'no-store')
        .send({ status: ok ? 'ok' : 'fail', database, keys });
    },
  );
}
