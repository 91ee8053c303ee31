import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import { buildApp } from '../http/app.js';
import { openPortcullis, type Portcullis } from './open-portcullis.js';
import { followSigningKeyEvery } from './follow-signing-key.js';
import { startBackgroundJobs } from './background-jobs.js';

/** How often a server checks whether `keys:rotate` has replaced its signing key. */
const KEY_CHECK_INTERVAL_MS = 5000;

export interface RunningServer {
  app: FastifyInstance;
  portcullis: Portcullis;
  url: string;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  stop(): Promise<void>;
}

/** Opens storage, migrates, loads keys and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const portcullis = await openPortcullis(config);
  const redis = portcullis.redis;
  const app = await buildApp(portcullis.ctx, {
    logger: { level: config.logLevel },
    healthChecks: redis ? { redis: async () => (await redis.ping()) === 'PONG' } : {},
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await portcullis.close();
    throw error;
  }
  const stopFollowing = followSigningKeyEvery(
    portcullis,
    KEY_CHECK_INTERVAL_MS,
    (kid) => app.log.info({ kid }, 'signing key rotated by another process: now signing with it'),
    (error) => app.log.warn({ err: error }, 'could not check for a rotated signing key'),
  );
  const stopJobs = startBackgroundJobs(portcullis, app.log);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let stopping: Promise<void> | undefined;
  return {
    app,
    portcullis,
    url: `http://${host}:${port}`,
    stop: () =>
      (stopping ??= (async () => {
        stopFollowing();
        await app.close();
        await stopJobs();
        await portcullis.close();
      })()),
  };
}
