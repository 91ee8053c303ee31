import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../core/oauth/errors.js';
import { isStorageUnavailable } from '../store/unavailable.js';

/**
 * The HTTP face's one error handler: OAuth errors become RFC 6749 §5.2 JSON (with the
 * WWW-Authenticate headers RFC 6749 and RFC 6750 ask for); validation errors become
 * `invalid_request`; anything else is logged with the request id and answered `server_error`.
 */
export function renderError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error instanceof OAuthError) {
    if (error.code === 'invalid_client')
      reply.header('www-authenticate', 'Basic realm="portcullis"');
    if (error.missingCredentials) {
      // RFC 6750 §3.1: a request with no credentials gets a challenge without an error code.
      reply.header('www-authenticate', 'Bearer realm="portcullis"');
    } else if (error.code === 'invalid_token' || error.code === 'insufficient_scope') {
      reply.header(
        'www-authenticate',
        `Bearer error="${error.code}", error_description="${error.description.replace(/"/g, "'")}"`,
      );
    }
    if (error.retryAfterSeconds !== undefined)
      reply.header('retry-after', String(error.retryAfterSeconds));
    reply.header('cache-control', 'no-store').status(error.status).send(error.toJSON());
    return;
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation || (fastifyError.statusCode && fastifyError.statusCode < 500)) {
    reply
      .header('cache-control', 'no-store')
      .status(
        fastifyError.statusCode && fastifyError.statusCode !== 422 ? fastifyError.statusCode : 400,
      )
      .send({ error: 'invalid_request', error_description: fastifyError.message });
    return;
  }
  if (isStorageUnavailable(error)) {
    request.log.error({ err: error }, 'storage unavailable');
    reply
      .header('cache-control', 'no-store')
      .header('retry-after', '5')
      .status(503)
      .send({
        error: 'temporarily_unavailable',
        error_description: `storage is unavailable, retry later (request ${request.id})`,
      });
    return;
  }
  request.log.error({ err: error }, 'request failed');
  reply
    .header('cache-control', 'no-store')
    .status(500)
    .send({ error: 'server_error', error_description: `internal error (request ${request.id})` });
}
