import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { LoginLimiters, LoginThrottlePolicy } from '../core/ratelimit/login-throttle.js';

/**
 * Login counters shared by every node through Redis. While Redis is unreachable each limiter
 * falls back to its in-process twin (rate-limiter-flexible's insurance limiter): limits stay on,
 * per process, never fail open.
 */
export function redisLoginLimiters(redis: Redis, policy: LoginThrottlePolicy): LoginLimiters {
  const duration = policy.windowMinutes * 60;
  const make = (keyPrefix: string, points: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `portcullis:${keyPrefix}`,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
    });
  return {
    pair: make('login_pair', policy.attemptsPerAccountAndIp),
    account: make('login_account', policy.attemptsPerAccount),
    ip: make('login_ip', policy.attemptsPerIp),
  };
}
