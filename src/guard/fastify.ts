/**
 * `portcullis/guard/fastify`: register the plugin once, then guard routes with preHandlers.
 *
 * @example
 * await app.register(portcullisGuard, { guard: { issuer: 'http://127.0.0.1:8000' } });
 * app.get('/posts', { preHandler: requireScopes('posts:read') }, (request) => request.principal);
 */
import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  preHandlerHookHandler,
} from 'fastify';
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

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request authenticated as; null until a guard has run. */
    principal: Principal | null;
  }
  interface FastifyInstance {
    portcullisGuard: Guard;
  }
}

export interface PortcullisGuardPluginOptions {
  /** A guard from `createGuard`, or the options to make one. */
  guard: Guard | GuardOptions;
  /** Path prefixes every request under which must authenticate (e.g. `/api/v1/protected`). */
  protect?: string[];
}

const isGuard = (value: Guard | GuardOptions): value is Guard =>
  typeof (value as Guard).authenticate === 'function';

function refuse(reply: FastifyReply, error: GuardError): FastifyReply {
  return reply.code(error.status).headers(error.headers()).send(error.toJSON());
}

/** Authenticates once per request (later guards reuse `request.principal`). */
async function principalOf(request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
  if (request.principal) return request.principal;
  const header = request.headers['x-api-key'];
  const { principal, headers } = await request.server.portcullisGuard.authenticate({
    authorization: request.headers.authorization,
    apiKey: typeof header === 'string' ? header : undefined,
  });
  reply.headers(headers);
  request.principal = principal;
  return principal;
}

/** Authenticates and checks; on a refusal, sends it and returns the reply (else undefined). */
async function enforce(
  request: FastifyRequest,
  reply: FastifyReply,
  requirements: Requirement[],
): Promise<FastifyReply | undefined> {
  try {
    const principal = await principalOf(request, reply);
    for (const requirement of requirements) requirement(principal);
    return undefined;
  } catch (error) {
    if (error instanceof GuardError) return refuse(reply, error);
    throw error;
  }
}

const pluginCallback: FastifyPluginCallback<PortcullisGuardPluginOptions> = (
  app,
  options,
  done,
) => {
  app.decorate(
    'portcullisGuard',
    isGuard(options.guard) ? options.guard : createGuard(options.guard),
  );
  // Declared up front so every request object keeps one shape (Fastify's advice).
  app.decorateRequest('principal', null);
  for (const prefix of options.protect ?? []) app.addHook('onRequest', protect(prefix));
  done();
};
// What fastify-plugin does: the decorations belong to the app that registers the plugin.
Object.assign(pluginCallback, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'portcullis-guard',
});

/** The Fastify plugin: decorates `app.portcullisGuard` and `request.principal`. */
export const portcullisGuard = pluginCallback;

/** A preHandler admitting authenticated requests that meet every requirement. */
export function requireAuth(...requirements: Requirement[]): preHandlerHookHandler {
  // Returning the reply after a refusal tells Fastify the hook answered the request.
  return async function guardPreHandler(request, reply) {
    return enforce(request, reply, requirements);
  };
}

/** Every scope must be granted (`posts:*`, `*:read` and `*` count). 403 `insufficient_scope`. */
export const requireScopes = (...required: string[]) => requireAuth(scopes(...required));
/** One of the roles. 403 `insufficient_role`. */
export const requireRoles = (...anyOf: string[]) => requireAuth(roles(...anyOf));
/** Every permission (wildcards count). 403 `insufficient_permission`. */
export const requirePermissions = (...required: string[]) => requireAuth(permissions(...required));

/**
 * The credential must act for this organization: a fixed id, or one read from the request
 * (`(request) => request.params.orgId`). 403 `wrong_organization`.
 */
export function requireOrg(
  org: string | ((request: FastifyRequest) => string | undefined),
): preHandlerHookHandler {
  return async function orgPreHandler(request, reply) {
    const wanted = typeof org === 'string' ? org : org(request);
    return enforce(request, reply, [organization(wanted ?? '')]);
  };
}

/** An onRequest hook that guards every path under `prefix` (`app.addHook('onRequest', …)`). */
export function protect(prefix: string, ...requirements: Requirement[]): onRequestHookHandler {
  return async function protectPrefix(request, reply) {
    // The matched route's pattern as well as the URL: what the router saw is what counts.
    const route = request.routeOptions.url;
    if (underPrefix(request.url, prefix) || (route !== undefined && underPrefix(route, prefix)))
      return enforce(request, reply, requirements);
    return undefined;
  };
}

export { GuardError } from './errors.js';
export type { Principal } from './principal.js';
export { scopes, roles, permissions, organization, type Requirement } from './requirements.js';
