import type {
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  preHandlerHookHandler,
} from 'fastify';
import type { ApiKey } from '../core/apikeys/api-key.js';
import { presentedCredential } from '../guard/credentials.js';
import type { CoreContext } from '../core/context.js';
import { apiKeyPrincipal, type ApiKeyPrincipal } from '../core/apikeys/principal.js';
import {
  verifyApiKey,
  verifyApiKeyFromCache,
  type ApiKeyVerification,
} from '../core/apikeys/verify-api-key.js';
import { rateLimitHeaders, type RateLimitDecision } from '../core/ratelimit/api-key-limits.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireApiKey` on a request authenticated with an API key. */
    apiKey?: ApiKeyPrincipal;
  }
}

/**
 * The API key a request carries: `Authorization: Bearer sk_…`, HTTP Basic with the key as user
 * name and an empty password (`curl -u sk_live_…:`), or `X-API-Key` when enabled.
 */
export function presentedApiKey(
  request: FastifyRequest,
  acceptHeader: boolean,
): string | undefined {
  const header = request.headers['x-api-key'];
  return presentedCredential(
    {
      authorization: request.headers.authorization,
      apiKey: typeof header === 'string' ? header : undefined,
    },
    acceptHeader,
  )?.value;
}

export interface RequireApiKeyOptions {
  /** Every one of these scopes must be granted (wildcards in the key's scopes count). */
  scopes?: string[];
}

/**
 * A Fastify `preHandler` that admits only requests with a valid API key (and the scopes asked
 * for), counts them against the key's tier (`X-RateLimit-*` headers; 429 with `Retry-After` when
 * spent), records usage, and sets `request.apiKey`.
 *
 * Refusals are JSON `{error, message}`: 401 `invalid_api_key` / `api_key_expired` /
 * `api_key_revoked` (with an RFC 6750 `WWW-Authenticate` challenge), 429 `rate_limit_exceeded`,
 * 403 `insufficient_scope` with `required_scope`.
 *
 * @example
 * app.post('/v1/posts', { preHandler: requireApiKey(ctx, { scopes: ['posts:write'] }) }, handler)
 */
export function requireApiKey(
  ctx: CoreContext,
  options: RequireApiKeyOptions = {},
): preHandlerHookHandler {
  const required = options.scopes ?? [];
  const acceptHeader = ctx.config.apiKeys.acceptXApiKeyHeader;

  const refuseKey = (reply: FastifyReply, code: string, message: string) =>
    reply
      .code(401)
      .header(
        'www-authenticate',
        `Bearer realm="portcullis", error="invalid_token", error_description="${message}"`,
      )
      .send({ error: code, message });

  /** After the rate limiter's decision: 429, 403 for a missing scope, or on to the handler. */
  const decide = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
    apiKey: ApiKey,
    scopes: readonly string[],
    decision: RateLimitDecision,
    now: number,
  ) => {
    reply.headers(rateLimitHeaders(decision));
    if (!decision.allowed) {
      reply
        .code(429)
        .header('retry-after', decision.retryAfterSeconds)
        .send({
          error: 'rate_limit_exceeded',
          message: `the ${apiKey.tier} tier allows ${decision.limit} requests per window; retry in ${decision.retryAfterSeconds} s`,
          retry_after: decision.retryAfterSeconds,
        });
      return;
    }
    ctx.apiKeyUsage.record(apiKey.id, now);
    const principal = apiKeyPrincipal(apiKey, scopes);
    for (const scope of required) {
      if (!principal.tokenCan(scope)) {
        reply
          .code(403)
          .header(
            'www-authenticate',
            `Bearer realm="portcullis", error="insufficient_scope", scope="${scope}"`,
          )
          .send({
            error: 'insufficient_scope',
            message: `this API key lacks the scope ${scope}`,
            required_scope: scope,
          });
        return;
      }
    }
    request.apiKey = principal;
    done();
  };

  const admit = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
    verification: ApiKeyVerification,
    now: number,
  ) => {
    if (!verification.valid) {
      refuseKey(reply, verification.code, verification.message);
      return;
    }
    const { apiKey, scopes } = verification;
    ctx.apiKeyLimiter
      .consume(apiKey, now)
      .then((decision) => decide(request, reply, done, apiKey, scopes, decision, now))
      .catch(done);
  };

  // Callback style, not async: a cached key is admitted with one promise (the rate limiter's),
  // where an async hook would add its own and Fastify's on top.
  return function apiKeyPreHandler(request, reply, done) {
    const presented = presentedApiKey(request, acceptHeader);
    if (!presented) {
      reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="portcullis"')
        .send({ error: 'invalid_api_key', message: 'an API key is required' });
      return;
    }
    const now = ctx.clock.now();
    const cached = verifyApiKeyFromCache(ctx, presented, now);
    if (cached !== undefined) {
      admit(request, reply, done, cached, now);
      return;
    }
    verifyApiKey(ctx, presented)
      .then((verification) => admit(request, reply, done, verification, ctx.clock.now()))
      .catch(done);
  };
}
