import type { Redis } from 'ioredis';
import {
  REVOCATION_MARGIN_MS,
  revokedJtiKey,
  type RevocationList,
  type RevokedAccessToken,
} from '../core/tokens/revocation-list.js';
import type { Clock } from '../core/clock.js';
import { redisReady } from './redis.js';

/**
 * The deny-list in Redis: one key per revoked `jti`, kept until the token's `exp` plus a margin
 * (guards accept a token up to `clockTolerance` past its `exp`, on clocks that may differ), so the
 * list stays as small as the set of revoked tokens still worth refusing.
 */
export function redisRevocationList(redis: Redis, clock: Clock): RevocationList {
  return {
    async add(tokens: readonly RevokedAccessToken[]) {
      const now = clock.now();
      const live = tokens.filter((t) => t.expiresAt + REVOCATION_MARGIN_MS > now);
      if (live.length === 0) return;
      // The connection has no offline queue: a short-lived process (the CLI) revokes before it
      // is up, and every command would fail.
      if (!(await redisReady(redis))) throw new Error('Redis is not reachable');
      const pipeline = redis.pipeline();
      for (const t of live)
        pipeline.set(revokedJtiKey(t.jti), '1', 'PX', t.expiresAt + REVOCATION_MARGIN_MS - now);
      // A pipeline resolves with each command's error instead of rejecting.
      const failed = (await pipeline.exec())?.find(([error]) => error !== null);
      if (failed) throw failed[0]!;
    },
  };
}
