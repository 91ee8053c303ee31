/**
 * `portcullis/guard/express`: middleware for Express 4/5 that sets `req.principal`.
 *
 * @example
 * const auth = expressGuard({ issuer: 'http://127.0.0.1:8000' });
 * app.use(auth.protect('/api/v1/protected'));
 * app.get('/posts', auth.requireScopes('posts:read'), (req, res) => res.json(req.principal));
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
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

declare global {
  // Express's own augmentation point for request properties.
  namespace Express {
    interface Request {
      /** Who the request authenticated as, once a Portcullis guard has run. */
      principal?: Principal;
    }
  }
}

export interface ExpressGuard {
  guard: Guard;
  requireAuth(...requirements: Requirement[]): RequestHandler;
  requireScopes(...required: string[]): RequestHandler;
  requireRoles(...anyOf: string[]): RequestHandler;
  requirePermissions(...required: string[]): RequestHandler;
  requireOrg(org: string | ((req: Request) => string | undefined)): RequestHandler;
  /** Guards every path under `prefix`: `app.use(auth.protect('/api/v1/protected'))`. */
  protect(prefix: string, ...requirements: Requirement[]): RequestHandler;
}

/** Express middleware factories around one guard (made from options, or passed in). */
export function expressGuard(guardOrOptions: Guard | GuardOptions): ExpressGuard {
  const guard =
    typeof (guardOrOptions as Guard).authenticate === 'function'
      ? (guardOrOptions as Guard)
      : createGuard(guardOrOptions as GuardOptions);

  async function enforce(
    req: Request,
    res: Response,
    next: NextFunction,
    requirements: Requirement[],
  ): Promise<void> {
    try {
      if (!req.principal) {
        const { principal, headers } = await guard.authenticate({
          authorization: req.headers.authorization,
          apiKey: req.get('x-api-key'),
        });
        res.set(headers);
        req.principal = principal;
      }
      for (const requirement of requirements) requirement(req.principal);
    } catch (error) {
      if (error instanceof GuardError) {
        res.status(error.status).set(error.headers()).json(error.toJSON());
        return;
      }
      next(error);
      return;
    }
    next();
  }

  const requireAuth =
    (...requirements: Requirement[]): RequestHandler =>
    (req, res, next) =>
      void enforce(req, res, next, requirements);

  return {
    guard,
    requireAuth,
    requireScopes: (...required) => requireAuth(scopes(...required)),
    requireRoles: (...anyOf) => requireAuth(roles(...anyOf)),
    requirePermissions: (...required) => requireAuth(permissions(...required)),
    requireOrg: (org) => (req, res, next) =>
      void enforce(req, res, next, [
        organization((typeof org === 'string' ? org : org(req)) ?? ''),
      ]),
    protect:
      (prefix, ...requirements) =>
      (req, res, next) => {
        // The parsed path with the mount point, and the raw target too (`req.url` is relative
        // to a mounted router): whichever form the router matched, the check sees it.
        if (underPrefix(req.baseUrl + req.path, prefix) || underPrefix(req.originalUrl, prefix))
          void enforce(req, res, next, requirements);
        else next();
      },
  };
}

export { GuardError } from './errors.js';
export type { Principal } from './principal.js';
export { scopes, roles, permissions, organization, type Requirement } from './requirements.js';
