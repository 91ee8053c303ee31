import Fastify, { type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import type { CoreContext } from '../core/context.js';
import { portcullisPlugin } from './plugin.js';
import { logRedaction } from './log-redaction.js';
import { addNosniff } from './security-headers.js';
import { registerDocsUi } from './docs-ui.js';

export interface BuildAppOptions {
  /** pino logger options (level, optional destination stream), or false for none. */
  logger?: false | { level: string; stream?: NodeJS.WritableStream };
  /** Serve the OpenAPI document and UI at /docs (default true). */
  docs?: boolean;
  /** Extra `/health` checks, by name. */
  healthChecks?: Record<string, () => Promise<boolean>>;
}

/** A complete Fastify app serving Portcullis: the plugin plus OpenAPI docs at `/docs`. */
export async function buildApp(
  ctx: CoreContext,
  options: BuildAppOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger
      ? {
          level: options.logger.level,
          ...(options.logger.stream ? { stream: options.logger.stream } : {}),
          // Credentials in URLs (token, code, id_token_hint…) never reach the logs, from any line.
          ...logRedaction,
        }
      : false,
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    return503OnClosing: true,
    forceCloseConnections: false,
  });
  // At the root, before anything registers, so /docs and the 404 answer carry it too.
  addNosniff(app);
  if (options.docs !== false) {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Portcullis',
          version: '0.1.0',
          description: 'OAuth 2.0 / OpenID Connect authorization server.',
        },
        servers: [{ url: ctx.config.issuer }],
        components: {
          securitySchemes: {
            clientBasic: { type: 'http', scheme: 'basic', description: 'client_id:client_secret' },
            bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
            apiKey: {
              type: 'http',
              scheme: 'bearer',
              description:
                'an API key (sk_live_… / sk_test_…); also Basic with the key as user name, or X-API-Key',
            },
          },
        },
      },
    });
    await registerDocsUi(app);
  }
  await app.register(portcullisPlugin, { ctx, healthChecks: options.healthChecks ?? {} });
  return app;
}
