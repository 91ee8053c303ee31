import type { Redis } from 'ioredis';
import {
  revokedJtiKey,
  type RevocationList,
  type RevokedAccessToken,
} from '../core/tokens/revocation-list.js';
import type { Clock } from '../core/clock.js';

/**
 * The deny-list in Redis: one key per revoked `jti`, expiring with the token (a revoked token
 * past its `exp` is refused by every guard anyway, so the list stays as small as the set of
 * live revoked tokens).
 */
export function redisRevocationList(redis: Redis, clock: Clock): RevocationList {
  return {
    async add(tokens: readonly RevokedAccessToken[]) {
      const now = clock.now();
      const live = tokens.filter((t) => t.expiresAt > now);
      if (live.length === 0) return;
      const pipeline = redis.pipeline();
      for (const t of live) pipeline.set(revokedJtiKey(t.jti), '1', 'PX', t.expiresAt - now);
      await pipeline.exec();
    },
  };
}
