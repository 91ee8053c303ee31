import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ApiKey, ApiKeyEnvironment } from '../apikeys/api-key.js';

export interface TierLimit {
  requests: number | null;
  perSeconds: number;
}

/** What a key-authenticated request may do now, and what its `X-RateLimit-*` headers say. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Null for an unlimited tier (no headers are sent then). */
  limit: number | null;
  remaining: number;
  /** When the window ends: epoch milliseconds. */
  resetAt: number;
  /** Whole seconds until the next request may pass (for `Retry-After`). */
  retryAfterSeconds: number;
}

/** The `X-RateLimit-*` headers of a decision; none for an unlimited tier. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  if (decision.limit === null) return {};
  return {
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': String(decision.remaining),
    'x-ratelimit-reset': String(Math.ceil(decision.resetAt / 1000)),
  };
}

export interface ApiKeyRateLimiter {
  consume(
    apiKey: Pick<ApiKey, 'id' | 'tier' | 'environment'>,
    now: number,
  ): Promise<RateLimitDecision>;
}

/** Makes one counter store for a tier: in memory, or Redis (shared by every node). */
export type LimiterFactory = (
  keyPrefix: string,
  limit: TierLimit & { requests: number },
) => RateLimiterAbstract;

export const memoryLimiterFactory: LimiterFactory = (keyPrefix, limit) =>
  new RateLimiterMemory({ keyPrefix, points: limit.requests, duration: limit.perSeconds });

/**
 * Per-key request limits by tier (`apiKeys.tiers` for live keys, `apiKeys.testTiers` for test
 * keys), counted with rate-limiter-flexible. A tier unknown to the configuration (removed after
 * the key was made) gets the default tier's limit.
 */
export function createApiKeyRateLimiter(
  tiers: Record<ApiKeyEnvironment, Record<string, TierLimit>>,
  defaultTier: string,
  factory: LimiterFactory = memoryLimiterFactory,
): ApiKeyRateLimiter {
  const limiters = new Map<string, { limiter: RateLimiterAbstract; limit: number } | null>();
  const limiterFor = (environment: ApiKeyEnvironment, tier: string) => {
    const id = `${environment}:${tier}`;
    if (!limiters.has(id)) {
      const limit = tiers[environment][tier] ?? tiers[environment][defaultTier]!;
      limiters.set(
        id,
        limit.requests === null
          ? null
          : {
              limiter: factory(`apikey_${environment}_${tier}`, {
                ...limit,
                requests: limit.requests,
              }),
              limit: limit.requests,
            },
      );
    }
    return limiters.get(id)!;
  };
  return {
    async consume(apiKey, now) {
      const entry = limiterFor(apiKey.environment, apiKey.tier);
      if (!entry)
        return { allowed: true, limit: null, remaining: 0, resetAt: now, retryAfterSeconds: 0 };
      let result: RateLimiterRes;
      let allowed = true;
      try {
        result = await entry.limiter.consume(apiKey.id);
      } catch (rejection) {
        // An exhausted counter rejects with its state; anything else is a fault of the store.
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        result = rejection;
        allowed = false;
      }
      return {
        allowed,
        limit: entry.limit,
        remaining: Math.max(0, result.remainingPoints),
        resetAt: now + result.msBeforeNext,
        retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
      };
    },
  };
}
