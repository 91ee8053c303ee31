import type { FastifyBaseLogger } from 'fastify';
import { pruneApiKeys } from '../core/apikeys/prune-api-keys.js';
import type { Portcullis } from './open-portcullis.js';

/**
 * What a server does on its own: writes API-key usage counts every `usageFlushSeconds`, and
 * deletes dead API keys every `cleanupIntervalMinutes`. Returns a stop that writes the last
 * counts. Timers do not keep the process alive.
 */
export function startBackgroundJobs(
  portcullis: Portcullis,
  log: FastifyBaseLogger,
): () => Promise<void> {
  const { ctx } = portcullis;
  const every = (ms: number, job: () => Promise<unknown>, what: string) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      job()
        .catch((error: unknown) => log.warn({ err: error }, `${what} failed; retrying later`))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    return timer;
  };
  const timers = [
    every(
      ctx.config.apiKeys.usageFlushSeconds * 1000,
      () => ctx.apiKeyUsage.flush(),
      'writing API-key usage',
    ),
    every(
      ctx.config.apiKeys.cleanupIntervalMinutes * 60_000,
      async () => {
        const deleted = await pruneApiKeys(ctx);
        if (deleted) log.info({ deleted }, 'deleted dead API keys');
      },
      'deleting dead API keys',
    ),
  ];
  return async () => {
    for (const timer of timers) clearInterval(timer);
    await ctx.apiKeyUsage
      .flush()
      .catch((error: unknown) =>
        log.warn({ err: error }, 'could not write the last API-key usage counts'),
      );
  };
}
