import type { Redis } from 'ioredis';
import { redisReady } from './redis.js';

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
const PUBLISH_WAIT_MS = 2000;

/**
 * Redis pub/sub: a change on one node evicts the entry on every node at once. Messages lost
 * while Redis is down are covered by the caches' one-second TTL.
 */
export function redisCacheBus(publisher: Redis, subscriber: Redis): CacheBus {
  const handlers: Array<(key: string) => void> = [];
  // A short-lived process (the CLI) publishes before its connection is up and closes right
  // after: each message waits (briefly) for the connection, and close waits for the messages.
  const sending = new Set<Promise<unknown>>();
  subscriber.on('message', (channel: string, key: string) => {
    if (channel === CHANNEL) handlers.forEach((h) => h(key));
  });
  void subscriber.subscribe(CHANNEL).catch(() => undefined);
  return {
    publish(key) {
      handlers.forEach((h) => h(key));
      const sent = redisReady(publisher, PUBLISH_WAIT_MS)
        .then((ready) => (ready ? publisher.publish(CHANNEL, key) : undefined))
        .catch(() => undefined);
      sending.add(sent);
      void sent.finally(() => sending.delete(sent));
    },
    subscribe: (handler) => void handlers.push(handler),
    async close() {
      await Promise.all(sending);
      subscriber.disconnect();
    },
  };
}
