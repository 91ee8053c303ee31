/**
 * `portcullis/guard/hono`: middleware for Hono that sets `c.get('principal')`.
 *
 * @example
 * const auth = honoGuard({ issuer: 'http://127.0.0.1:8000' });
 * app.use(auth.protect('/api/v1/protected'));
 * app.get('/posts', auth.requireScopes('posts:read'), (c) => c.json(c.get('principal')));
 */
import type { Context, MiddlewareHandler } from 'hono';
import { createGuard, type Guard, type GuardOptions } from './create-guard.js';
import { GuardError } from './errors.js';
import type { Principal } from './principal.js';
import {
  organization,
  permissions,
  roles,
  scopes,
  underPrefix,
  type Requirement,
} from './requirements.js';

/** The context variables the middleware sets: `c.get('principal')`. */
export type GuardEnv = { Variables: { principal: Principal } };

export interface HonoGuard {
  guard: Guard;
  requireAuth(...requirements: Requirement[]): MiddlewareHandler<GuardEnv>;
  requireScopes(...required: string[]): MiddlewareHandler<GuardEnv>;
  requireRoles(...anyOf: string[]): MiddlewareHandler<GuardEnv>;
  requirePermissions(...required: string[]): MiddlewareHandler<GuardEnv>;
  requireOrg(org: string | ((c: Context) => string | undefined)): MiddlewareHandler<GuardEnv>;
  /** Guards every path under `prefix`: `app.use(auth.protect('/api/v1/protected'))`. */
  protect(prefix: string, ...requirements: Requirement[]): MiddlewareHandler<GuardEnv>;
}

/** Hono middleware factories around one guard (made from options, or passed in). */
export function honoGuard(guardOrOptions: Guard | GuardOptions): HonoGuard {
  const guard =
    typeof (guardOrOptions as Guard).authenticate === 'function'
      ? (guardOrOptions as Guard)
      : createGuard(guardOrOptions as GuardOptions);

  const enforce = (requirements: Requirement[]): MiddlewareHandler<GuardEnv> =>
    async function guardMiddleware(c, next) {
      try {
        let principal = c.get('principal') as Principal | undefined;
        if (!principal) {
          const authenticated = await guard.authenticate({
            authorization: c.req.header('authorization'),
            apiKey: c.req.header('x-api-key'),
          });
          for (const [name, value] of Object.entries(authenticated.headers)) c.header(name, value);
          principal = authenticated.principal;
          c.set('principal', principal);
        }
        for (const requirement of requirements) requirement(principal);
      } catch (error) {
        if (error instanceof GuardError) {
          for (const [name, value] of Object.entries(error.headers())) c.header(name, value);
          return c.json(error.toJSON(), error.status as 401 | 403 | 429);
        }
        throw error;
      }
      await next();
    };

  return {
    guard,
    requireAuth: (...requirements) => enforce(requirements),
    requireScopes: (...required) => enforce([scopes(...required)]),
    requireRoles: (...anyOf) => enforce([roles(...anyOf)]),
    requirePermissions: (...required) => enforce([permissions(...required)]),
    requireOrg: (org) =>
      async function orgMiddleware(c, next) {
        const wanted = typeof org === 'string' ? org : org(c as unknown as Context);
        return enforce([organization(wanted ?? '')])(c, next);
      },
    protect: (prefix, ...requirements) => {
      const guarded = enforce(requirements);
      return async function protectPrefix(c, next) {
        if (underPrefix(c.req.path, prefix) || underPrefix(new URL(c.req.url).pathname, prefix))
          return guarded(c, next);
        await next();
      };
    },
  };
}

export { GuardError } from './errors.js';
export type { Principal } from './principal.js';
export { scopes, roles, permissions, organization, type Requirement } from './requirements.js';
