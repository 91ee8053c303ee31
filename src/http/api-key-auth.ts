import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { CoreContext } from '../core/context.js';
import { apiKeyPrincipal, type ApiKeyPrincipal } from '../core/apikeys/principal.js';
import { verifyApiKey } from '../core/apikeys/verify-api-key.js';
import type { RateLimitDecision } from '../core/ratelimit/api-key-limits.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireApiKey` on a request authenticated with an API key. */
    apiKey?: ApiKeyPrincipal;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const BASIC = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i;

/**
 * The API key a request carries: `Authorization: Bearer sk_…`, HTTP Basic with the key as user
 * name and an empty password (`curl -u sk_live_…:`), or `X-API-Key` when enabled.
 */
export function presentedApiKey(
  request: FastifyRequest,
  acceptHeader: boolean,
): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization) {
    const bearer = BEARER.exec(authorization);
    if (bearer) return bearer[1];
    const basic = BASIC.exec(authorization);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      // The key is the user name; a password would mean these are not API-key credentials.
      return colon >= 0 && colon === decoded.length - 1 ? decoded.slice(0, colon) : decoded;
    }
  }
  if (acceptHeader) {
    const header = request.headers['x-api-key'];
    if (typeof header === 'string' && header) return header.trim();
  }
  return undefined;
}

function setRateLimitHeaders(reply: FastifyReply, decision: RateLimitDecision): void {
  if (decision.limit === null) return;
  reply.headers({
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': String(decision.remaining),
    'x-ratelimit-reset': String(Math.ceil(decision.resetAt / 1000)),
  });
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
): preHandlerAsyncHookHandler {
  const required = options.scopes ?? [];
  return async function apiKeyPreHandler(request, reply) {
    const presented = presentedApiKey(request, ctx.config.apiKeys.acceptXApiKeyHeader);
    if (!presented) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="portcullis"')
        .send({ error: 'invalid_api_key', message: 'an API key is required' });
    }
    const verification = await verifyApiKey(ctx, presented);
    if (!verification.valid) {
      return reply
        .code(401)
        .header(
          'www-authenticate',
          `Bearer realm="portcullis", error="invalid_token", error_description="${verification.message}"`,
        )
        .send({ error: verification.code, message: verification.message });
    }
    const { apiKey } = verification;
    const decision = await ctx.apiKeyLimiter.consume(apiKey, ctx.clock.now());
    setRateLimitHeaders(reply, decision);
    if (!decision.allowed) {
      return reply
        .code(429)
        .header('retry-after', decision.retryAfterSeconds)
        .send({
          error: 'rate_limit_exceeded',
          message: `the ${apiKey.tier} tier allows ${decision.limit} requests per window; retry in ${decision.retryAfterSeconds} s`,
          retry_after: decision.retryAfterSeconds,
        });
    }
    ctx.apiKeyUsage.record(apiKey.id);
    const principal = apiKeyPrincipal(apiKey);
    for (const scope of required) {
      if (!principal.tokenCan(scope)) {
        return reply
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
      }
    }
    request.apiKey = principal;
  };
}
