import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { LimiterFactory } from '../core/ratelimit/api-key-limits.js';

/**
 * API-key limits shared by every node through Redis. While Redis is unreachable each tier falls
 * back to an in-process counter (the insurance limiter): limits stay on, never fail open.
 */
export const redisLimiterFactory =
  (redis: Redis): LimiterFactory =>
  (keyPrefix, limit) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `portcullis:${keyPrefix}`,
      points: limit.requests,
      duration: limit.perSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({
        keyPrefix,
        points: limit.requests,
        duration: limit.perSeconds,
      }),
    });
