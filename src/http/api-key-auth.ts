import type {
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  preHandlerHookHandler,
} from 'fastify';
import type { ApiKey } from '../core/apikeys/api-key.js';
import type { CoreContext } from '../core/context.js';
import { apiKeyPrincipal, type ApiKeyPrincipal } from '../core/apikeys/principal.js';
import {
  verifyApiKey,
  verifyApiKeyFromCache,
  type ApiKeyVerification,
} from '../core/apikeys/verify-api-key.js';
import type { RateLimitDecision } from '../core/ratelimit/api-key-limits.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireApiKey` on a request authenticated with an API key. */
    apiKey?: ApiKeyPrincipal;
  }
}

const BASIC = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i;

/** The credential of `Bearer <credential>` (scheme case-insensitive), or undefined. */
function bearerCredential(authorization: string): string | undefined {
  // Checked by hand, not by a regular expression: this runs on every key-authenticated request.
  if (authorization.length < 8 || authorization.slice(0, 6).toLowerCase() !== 'bearer') {
    return undefined;
  }
  const credential = authorization.slice(6).trim();
  return credential !== '' && /^[ \t]/.test(authorization[6]!) && !/\s/.test(credential)
    ? credential
    : undefined;
}

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
    const bearer = bearerCredential(authorization);
    if (bearer !== undefined) return bearer;
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
  reply
    .header('x-ratelimit-limit', decision.limit)
    .header('x-ratelimit-remaining', decision.remaining)
    .header('x-ratelimit-reset', Math.ceil(decision.resetAt / 1000));
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
    decision: RateLimitDecision,
    now: number,
  ) => {
    setRateLimitHeaders(reply, decision);
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
    const principal = apiKeyPrincipal(apiKey);
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
    const { apiKey } = verification;
    ctx.apiKeyLimiter
      .consume(apiKey, now)
      .then((decision) => decide(request, reply, done, apiKey, decision, now))
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
