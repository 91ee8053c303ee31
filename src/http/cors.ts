import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Client } from '../core/clients/client.js';
import { clientAllowsOrigin } from '../core/clients/allowed-origin.js';

/** Endpoints a single-page app calls from the browser. Introspection is server-to-server. */
const BROWSER_ENDPOINTS = new Set(['/oauth/token', '/oauth/revoke', '/oauth/userinfo']);
const PUBLIC_DOCUMENTS = ['/.well-known/'];

/**
 * Client-based CORS. Preflights to the browser endpoints are answered for any origin (the
 * preflight carries no client), but the real response is readable only by the origins of the
 * authenticated client's redirect URIs. Discovery and the JWKS are public to every origin.
 */
export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (PUBLIC_DOCUMENTS.some((prefix) => request.url.startsWith(prefix))) {
      reply.header('access-control-allow-origin', '*');
    }
  });
  for (const path of BROWSER_ENDPOINTS) {
    app.options(path, { schema: { hide: true } }, async (request, reply) => {
      const origin = request.headers.origin;
      if (!origin) return reply.status(204).send();
      return reply
        .status(204)
        .headers({
          'access-control-allow-origin': origin,
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': '600',
          vary: 'origin',
        })
        .send();
    });
  }
}

/** Lets the page at the request's Origin read this response when the client allows it. */
export function allowClientOrigin(
  request: FastifyRequest,
  reply: FastifyReply,
  client: Client,
): void {
  const origin = request.headers.origin;
  reply.header('vary', 'origin');
  if (origin && clientAllowsOrigin(client, origin))
    reply.header('access-control-allow-origin', origin);
}
