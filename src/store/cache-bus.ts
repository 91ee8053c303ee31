import type { Redis } from 'ioredis';

/** Tells every process to drop a cached entry (`client:<id>`, `scopes`). */
export interface CacheBus {
  publish(key: string): void;
  subscribe(handler: (key: string) => void): void;
  close(): Promise<void>;
}

/** A bus that reaches only this process: the TTL bounds staleness elsewhere. */
export const localCacheBus = (): CacheBus => {
  const handlers: Array<(key: string) => void> = [];
  return {
    publish: (key) => handlers.forEach((h) => h(key)),
    subscribe: (handler) => void handlers.push(handler),
    close: async () => undefined,
  };
};

const CHANNEL = 'portcullis:cache-invalidate';

/**
 * Redis pub/sub: a change on one node evicts the entry on every node at once. Messages lost
 * while Redis is down are covered by the caches' one-second TTL.
 */
export function redisCacheBus(publisher: Redis, subscriber: Redis): CacheBus {
  const handlers: Array<(key: string) => void> = [];
  subscriber.on('message', (channel: string, key: string) => {
    if (channel === CHANNEL) handlers.forEach((h) => h(key));
  });
  void subscriber.subscribe(CHANNEL).catch(() => undefined);
  return {
    publish(key) {
      handlers.forEach((h) => h(key));
      publisher.publish(CHANNEL, key).catch(() => undefined);
    },
    subscribe: (handler) => void handlers.push(handler),
    async close() {
      subscriber.disconnect();
    },
  };
}
