import {
  createLocalJWKSet,
  createRemoteJWKSet,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
  type CryptoKey,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { CoreContext } from '../core/context.js';
import { verifyApiKey, verifyApiKeyFromCache } from '../core/apikeys/verify-api-key.js';
import { looksLikeApiKey } from '../core/apikeys/key-format.js';
import { apiKeyPrincipal } from '../core/apikeys/principal.js';
import {
  MAX_GUARD_CLOCK_TOLERANCE_SECONDS,
  revokedJtiKey,
} from '../core/tokens/revocation-list.js';
import { presentedCredential, type CredentialHeaders } from './credentials.js';
import { digest } from '../core/secrets.js';
import { rateLimitHeaders } from '../core/ratelimit/api-key-limits.js';
import { GuardError } from './errors.js';
import { makePrincipal, principalFromClaims, type Principal } from './principal.js';
import { introspector, type IntrospectionOptions } from './introspection.js';

/** The algorithms our server signs with (RS256 default, ES256, EdDSA). Never `none` or HS*. */
export const DEFAULT_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

export interface GuardOptions {
  /** The Portcullis issuer URL: tokens must carry exactly this `iss`. */
  issuer: string;
  /** Accepted `aud` values (default: the issuer, which is what Portcullis puts there by default). */
  audience?: string | string[];
  /**
   * The server's JWKS: a URL (fetched and cached; an unknown `kid` triggers a refetch, so key
   * rotation needs no restart) or a key set object. Default: `<issuer>/.well-known/jwks.json`
   * when neither this nor `publicKey` is given.
   */
  jwks?: string | URL | JSONWebKeySet;
  /** One public key instead of a JWKS: PEM (SPKI), a JWK, or a KeyObject/CryptoKey. */
  publicKey?: string | JWK | KeyObject | CryptoKey;
  /** Allowed signing algorithms (default RS256, ES256, EdDSA). The token's `alg` must be one. */
  algorithms?: string[];
  /** Seconds of clock skew allowed on `exp`, `nbf` and `iat` (default 5). */
  clockTolerance?: number;
  /** How long a fetched JWKS is trusted before a refetch (seconds, default 600). */
  jwksCacheSeconds?: number;
  /** The least time between two JWKS fetches for unknown `kid`s (seconds, default 30). */
  jwksCooldownSeconds?: number;
  /**
   * API keys: `ctx` (a `CoreContext` from `openPortcullis`, same database: verified in-process
   * with the key cache, rate limits and usage counting), or `'introspection'` (asked of the
   * server's introspection endpoint; needs `introspection`). Absent: API keys are refused.
   */
  apiKeys?: CoreContext | 'introspection';
  /**
   * Verified access tokens remembered (by SHA-256 of the token) so a client's next request with
   * the same token skips the signature check; `exp` and the deny-list are still checked on every
   * request. Default 10 000; 0 turns it off.
   */
  verifiedTokenCacheSize?: number;
  /** Accept `X-API-Key` as well as `Authorization` (default true when `apiKeys` is set). */
  acceptApiKeyHeader?: boolean;
  /** The server's RFC 7662 endpoint, for opaque tokens and API keys (answers cached briefly). */
  introspection?: IntrospectionOptions;
  /**
   * The Redis deny-list the server writes revoked `jti`s to (set `REDIS_URL` on the server):
   * a revoked JWT is refused before it expires. Anything with `exists(key)` works (ioredis).
   */
  revocation?: { redis: { exists(key: string): Promise<number> } };
}

/** What authentication yields: who the caller is, and headers to add to the response. */
export interface Authenticated {
  principal: Principal;
  /** `X-RateLimit-*` of a key-authenticated request (in-process API keys). */
  headers: Record<string, string>;
}

export interface Guard {
  readonly options: Readonly<GuardOptions>;
  /** Authenticates a request's credential; throws `GuardError` (401/429) when it does not. */
  authenticate(headers: CredentialHeaders): Promise<Authenticated>;
  /** Accept `X-API-Key`? (adapters read the header only then). */
  readonly acceptsApiKeyHeader: boolean;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const invalidToken = (message = 'the access token is not valid') =>
  new GuardError('invalid_token', message);

/**
 * A framework-free verifier for Portcullis credentials: RFC 9068 JWT access tokens (signature
 * by a published key, `typ: at+jwt`, `iss`, `aud`, `exp`, `nbf`, algorithm pinned), opaque
 * tokens through introspection, and API keys. Adapters for Fastify, Express and Hono wrap it.
 *
 * @example
 * const guard = createGuard({ issuer: 'http://127.0.0.1:8000' });
 * const { principal } = await guard.authenticate({ authorization: req.headers.authorization });
 */
export function createGuard(options: GuardOptions): Guard {
  if (!options.issuer) throw new TypeError('createGuard: `issuer` is required');
  const algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
  for (const alg of algorithms) {
    if (alg === 'none' || alg.startsWith('HS'))
      throw new TypeError(`createGuard: ${alg} is not an algorithm for public-key tokens`);
  }
  const audience = options.audience ?? options.issuer;
  const clockTolerance = options.clockTolerance ?? 5;
  if (!(clockTolerance >= 0 && clockTolerance <= MAX_GUARD_CLOCK_TOLERANCE_SECONDS))
    throw new TypeError(
      `createGuard: clockTolerance is 0 to ${MAX_GUARD_CLOCK_TOLERANCE_SECONDS} seconds (the revocation deny-list keeps entries only that long past exp)`,
    );
  const keyResolver = resolveKeys(options, algorithms);
  const introspect = options.introspection ? introspector(options.introspection) : undefined;
  if (options.apiKeys === 'introspection' && !introspect)
    throw new TypeError("createGuard: apiKeys: 'introspection' needs the `introspection` option");
  const acceptsApiKeyHeader = options.apiKeys !== undefined && options.acceptApiKeyHeader !== false;

  const verified = verifiedTokenCache(options.verifiedTokenCacheSize ?? 10_000);

  async function verifyJwt(token: string): Promise<Principal> {
    const cacheKey = verified.enabled ? digest(token) : '';
    let principal = verified.get(cacheKey, Date.now() - clockTolerance * 1000);
    if (principal === undefined) {
      principal = await verifySignedJwt(token);
      verified.set(cacheKey, principal);
    }
    // Checked on every request, cached or not: revocation happens after verification.
    if (
      options.revocation &&
      (await options.revocation.redis.exists(revokedJtiKey(principal.claims.jti as string)))
    )
      throw invalidToken('the access token has been revoked');
    return principal;
  }

  async function verifySignedJwt(token: string): Promise<Principal> {
    let claims: Record<string, unknown>;
    try {
      const key = keyResolver;
      ({ payload: claims } =
        typeof key === 'function'
          ? await jwtVerify(token, key, jwtOptions)
          : await jwtVerify(token, key, jwtOptions));
    } catch (error) {
      throw invalidToken(jwtFailure(error));
    }
    if (typeof claims.jti !== 'string') throw invalidToken('the access token has no jti');
    return principalFromClaims(Object.freeze(claims));
  }
  const jwtOptions = {
    issuer: options.issuer,
    audience,
    algorithms,
    typ: 'at+jwt',
    clockTolerance,
    requiredClaims: ['exp', 'iat', 'sub', 'jti'],
  };

  async function verifyKey(key: string, headers: Record<string, string>): Promise<Principal> {
    const ctx = options.apiKeys;
    if (ctx === undefined)
      throw new GuardError('invalid_api_key', 'API keys are not accepted here');
    if (ctx === 'introspection') {
      // Junk never costs the server a round trip (nor a place in the cache).
      if (!looksLikeApiKey(key))
        throw new GuardError('invalid_api_key', 'the API key is not valid');
      const answer = await introspect!(key);
      if (!answer || answer.token_type !== 'api_key')
        throw new GuardError('invalid_api_key', 'the API key is not valid');
      return principalFromIntrospection(answer);
    }
    const now = ctx.clock.now();
    const verification = verifyApiKeyFromCache(ctx, key, now) ?? (await verifyApiKey(ctx, key));
    if (!verification.valid) throw new GuardError(verification.code, verification.message);
    const { apiKey } = verification;
    const decision = await ctx.apiKeyLimiter.consume(apiKey, now);
    Object.assign(headers, rateLimitHeaders(decision));
    if (!decision.allowed) {
      throw new GuardError(
        'rate_limit_exceeded',
        `the ${apiKey.tier} tier allows ${decision.limit} requests per window; retry in ${decision.retryAfterSeconds} s`,
        { retryAfterSeconds: decision.retryAfterSeconds, headers },
      );
    }
    ctx.apiKeyUsage.record(apiKey.id, now);
    const keyPrincipal = apiKeyPrincipal(apiKey, verification.scopes);
    return makePrincipal({
      kind: 'api_key',
      sub: keyPrincipal.sub,
      org: keyPrincipal.org,
      scopes: keyPrincipal.scopes,
      permissions: keyPrincipal.scopes,
      claims: {
        key_id: apiKey.id,
        name: apiKey.name,
        tier: apiKey.tier,
        environment: apiKey.environment,
        metadata: apiKey.metadata,
      },
    });
  }

  return {
    options,
    acceptsApiKeyHeader,
    async authenticate(requestHeaders) {
      const credential = presentedCredential(requestHeaders, acceptsApiKeyHeader);
      if (!credential)
        throw new GuardError('invalid_token', 'a bearer token or API key is required', {
          missingCredential: true,
        });
      const headers: Record<string, string> = {};
      const { value } = credential;
      if (credential.scheme !== 'bearer' || looksLikeApiKey(value))
        return { principal: await verifyKey(value, headers), headers };
      if (JWT_SHAPE.test(value)) return { principal: await verifyJwt(value), headers };
      if (introspect) {
        const answer = await introspect(value);
        if (answer && answer.token_type !== 'api_key' && answer.token_type !== 'refresh_token')
          return { principal: principalFromClaims(answer), headers };
      }
      throw invalidToken();
    },
  };
}

function principalFromIntrospection(answer: Record<string, unknown>): Principal {
  const scopes = typeof answer.scope === 'string' ? answer.scope.split(' ').filter(Boolean) : [];
  return makePrincipal({
    kind: 'api_key',
    sub: String(answer.sub),
    org: typeof answer.org === 'string' ? answer.org : null,
    scopes,
    permissions: scopes,
    claims: answer,
  });
}

/**
 * An LRU of verified tokens. A token is immutable and its signature was checked: the same bytes
 * stay valid until `exp` (a retired signing key stays published until its tokens expired).
 */
function verifiedTokenCache(maxEntries: number) {
  const entries = new Map<string, { principal: Principal; expMs: number }>();
  return {
    enabled: maxEntries > 0,
    /** The cached principal, unless absent or expired at `now` (tolerance already applied). */
    get(key: string, now: number): Principal | undefined {
      if (maxEntries === 0) return undefined;
      const hit = entries.get(key);
      if (hit === undefined) return undefined;
      if (hit.expMs <= now) {
        entries.delete(key);
        return undefined;
      }
      entries.delete(key);
      entries.set(key, hit);
      return hit.principal;
    },
    set(key: string, principal: Principal): void {
      if (maxEntries === 0) return;
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, { principal, expMs: Number(principal.claims.exp) * 1000 });
    },
  };
}

/**
 * The key source of JWT verification. Synchronous on purpose: a bad PEM or JWK throws here,
 * from `createGuard`, rather than surfacing later as a 401 on every request.
 */
function resolveKeys(
  options: GuardOptions,
  algorithms: string[],
): JWTVerifyGetKey | KeyObject | CryptoKey {
  const { publicKey } = options;
  if (publicKey !== undefined) {
    if (typeof publicKey === 'string') {
      if (algorithms.length !== 1)
        throw new TypeError('createGuard: a PEM publicKey needs exactly one entry in `algorithms`');
      return createPublicKey(publicKey);
    }
    if (isJwk(publicKey)) {
      if (publicKey.d !== undefined)
        throw new TypeError('createGuard: publicKey is a private key; give the public part');
      return createPublicKey({ key: publicKey as JsonWebKey, format: 'jwk' });
    }
    return publicKey;
  }
  const jwks = options.jwks ?? `${options.issuer.replace(/\/$/, '')}/.well-known/jwks.json`;
  if (typeof jwks === 'object' && !(jwks instanceof URL)) return createLocalJWKSet(jwks);
  return createRemoteJWKSet(new URL(jwks), {
    cacheMaxAge: (options.jwksCacheSeconds ?? 600) * 1000,
    cooldownDuration: (options.jwksCooldownSeconds ?? 30) * 1000,
  });
}

const isJwk = (key: JWK | KeyObject | CryptoKey): key is JWK =>
  typeof (key as JWK).kty === 'string' && !('type' in key);

/** A short, safe reason for a refused JWT (never the token or the key). */
function jwtFailure(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'the access token has expired';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'the access token is signed by an unknown key';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (error as { claim?: unknown }).claim;
      return `the access token's ${typeof claim === 'string' ? claim : 'claims'} claim is not accepted here`;
    }
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'the access token is signed with an algorithm not accepted here';
    default:
      return 'the access token is not valid';
  }
}
