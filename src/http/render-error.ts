import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../core/oauth/errors.js';
import { isStorageUnavailable } from '../store/unavailable.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../core/entity-errors.js';
import { MailLimitExceededError } from '../core/ratelimit/mail-limits.js';

/** The status and code of a core entity error, or undefined for any other error. */
function entityErrorStatus(error: Error): { status: number; code: string } | undefined {
  if (error instanceof InvalidInputError) return { status: 400, code: 'invalid_request' };
  if (error instanceof NotFoundError) return { status: 404, code: 'not_found' };
  if (error instanceof ConflictError) return { status: 409, code: 'conflict' };
  return undefined;
}

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
  const entity = entityErrorStatus(error);
  if (entity !== undefined) {
    reply
      .header('cache-control', 'no-store')
      .status(entity.status)
      .send({ error: entity.code, message: error.message });
    return;
  }
  if (error instanceof MailLimitExceededError) {
    reply
      .header('cache-control', 'no-store')
      .header('retry-after', String(error.retryAfterSeconds))
      .status(429)
      .send({ error: error.code, message: error.message });
    return;
  }
  const api = request.url.startsWith('/api/');
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
    reply
      .header('cache-control', 'no-store')
      .status(error.status)
      // The auth API speaks `{error, message}`; the OAuth endpoints RFC 6749's shape.
      .send(api ? { error: error.code, message: error.description } : error.toJSON());
    return;
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation || (fastifyError.statusCode && fastifyError.statusCode < 500)) {
    reply
      .header('cache-control', 'no-store')
      .status(
        fastifyError.statusCode && fastifyError.statusCode !== 422 ? fastifyError.statusCode : 400,
      )
      .send(
        api
          ? { error: 'invalid_request', message: fastifyError.message }
          : { error: 'invalid_request', error_description: fastifyError.message },
      );
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
