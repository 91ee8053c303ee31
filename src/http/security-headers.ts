import type { FastifyInstance } from 'fastify';

/**
 * `X-Content-Type-Options: nosniff` on every response of `app` and its plugins, errors and 404s
 * included: a browser must not run a JSON answer or an uploaded text as a script or a page.
 * Set in `onSend` because that is the one hook every reply passes, whoever sent it.
 */
export function addNosniff(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done(null, payload);
  });
}
