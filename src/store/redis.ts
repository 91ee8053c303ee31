import { Redis } from 'ioredis';

/**
 * A Redis connection for counters and publishing. Commands fail at once while disconnected
 * (no offline queue), so callers fall back instead of hanging: rate limits to per-process
 * memory, caches to their TTL.
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // A Redis that accepts but stalls must fail commands too, so the fallbacks take over.
    commandTimeout: 500,
    // Keep trying in the background; a Redis outage must not stop the server.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
  });
}

/** A dedicated subscriber connection (a subscribed Redis connection can do nothing else). */
export function connectSubscriber(url: string): Redis {
  return new Redis(url, {
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}

/** Waits (briefly) for the first connection, so start-up can report whether Redis answers. */
export async function redisReady(redis: Redis, timeoutMs = 2000): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}
