import type { FastifyInstance } from 'fastify';

/**
 * With `enforceHttps`, `/oauth/*` over plain HTTP is refused. `request.protocol` honours
 * `X-Forwarded-Proto` only from proxies trusted by the `trustProxy` setting.
 */
export function enforceHttps(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/oauth/') || request.protocol === 'https') return;
    return reply.status(400).header('cache-control', 'no-store').send({
      error: 'invalid_request',
      error_description: 'HTTPS is required for OAuth endpoints (OAUTH2_ENFORCE_HTTPS is on)',
    });
  });
}
