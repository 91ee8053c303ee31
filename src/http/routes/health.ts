import type { FastifyInstance } from 'fastify';
import type { CoreContext } from '../../core/context.js';

const report = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ok', 'degraded', 'fail'] } },
  additionalProperties: { type: 'string' },
} as const;

/** A load balancer's probe must get an answer quickly, even from a stalled dependency. */
const HEALTH_TIMEOUT_MS = 2000;

function withinHealthTimeout<T>(check: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('health check timed out')), HEALTH_TIMEOUT_MS);
  });
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `GET /health`: 200 while the database answers and this node signs with the active key (503
 * otherwise). Optional dependencies (Redis) are reported too; their outage is `degraded`, still
 * 200, because the server keeps working on its fallbacks.
 */
export async function healthRoutes(
  app: FastifyInstance,
  { ctx, checks }: { ctx: CoreContext; checks: Record<string, () => Promise<boolean>> },
): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        tags: ['diagnostics'],
        summary: 'Liveness and readiness: database, signing keys, and Redis when configured',
        response: { '2xx': report, '5xx': report },
      },
    },
    async (request, reply) => {
      const result: Record<string, string> = { database: 'ok', keys: 'ok' };
      try {
        // A key just rotated by `keys:rotate` is adopted here, so no probe sees a gap.
        if (!(await withinHealthTimeout(ctx.keys.ensureActiveSigner())))
          result.keys =
            "signing key retired (rotated elsewhere) and the new key is not in this node's key file or environment";
      } catch (error) {
        request.log.error({ err: error }, 'health check: database unreachable');
        result.database = 'unreachable';
        result.keys = 'unknown';
      }
      let degraded = false;
      for (const [name, check] of Object.entries(checks)) {
        const up = await withinHealthTimeout(check()).catch(() => false);
        result[name] = up ? 'ok' : 'unreachable';
        degraded ||= !up;
      }
      const ok = result.database === 'ok' && result.keys === 'ok';
      return reply
        .status(ok ? 200 : 503)
        .header('cache-control', 'no-store')
        .send({ status: ok ? (degraded ? 'degraded' : 'ok') : 'fail', ...result });
    },
  );
}
