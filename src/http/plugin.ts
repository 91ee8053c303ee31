import type { FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { CoreContext } from '../core/context.js';
import { renderError } from './render-error.js';
import { enforceHttps } from './enforce-https.js';
import { registerCors } from './cors.js';
import { addNosniff } from './security-headers.js';
import { authorizeRoutes } from './routes/authorize.js';
import { tokenRoutes } from './routes/token.js';
import { introspectRevokeRoutes } from './routes/introspect-revoke.js';
import { userinfoRoutes } from './routes/userinfo.js';
import { wellKnownRoutes } from './routes/well-known.js';
import { healthRoutes } from './routes/health.js';
import { personalAccessTokenRoutes } from './routes/personal-access-tokens.js';
import { logoutRoutes } from './routes/logout.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { authRoutes } from './routes/auth.js';
import { accountPageRoutes } from './routes/account-pages.js';
import { rbacRoutes } from './routes/rbac.js';
import { organizationRoutes } from './routes/organizations.js';

export interface PortcullisPluginOptions {
  ctx: CoreContext;
  /** Extra `/health` checks (e.g. Redis); each answers whether its dependency is reachable. */
  healthChecks?: Record<string, () => Promise<boolean>>;
}

/**
 * The HTTP face as a Fastify plugin: `app.register(portcullisPlugin, { ctx })` inside any
 * Fastify 5 app. Registers form and cookie parsing, the OAuth/OIDC routes and their errors.
 */
export async function portcullisPlugin(
  app: FastifyInstance,
  { ctx, healthChecks = {} }: PortcullisPluginOptions,
): Promise<void> {
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  }
  if (!app.hasRequestDecorator('cookies')) await app.register(fastifyCookie);
  app.setErrorHandler(renderError);
  // For a host app that embeds the plugin; under buildApp the root sets it as well.
  addNosniff(app);
  if (ctx.config.enforceHttps) enforceHttps(app);
  registerCors(app);
  for (const routes of [
    authorizeRoutes,
    tokenRoutes,
    introspectRevokeRoutes,
    userinfoRoutes,
    wellKnownRoutes,
    personalAccessTokenRoutes,
    logoutRoutes,
    apiKeyRoutes,
    authRoutes,
    accountPageRoutes,
    rbacRoutes,
    organizationRoutes,
  ]) {
    await routes(app, { ctx });
  }
  await healthRoutes(app, { ctx, checks: healthChecks });
}
