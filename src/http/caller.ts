import type { FastifyRequest } from 'fastify';
import type { CoreContext } from '../core/context.js';
import type { Caller } from '../core/authority/caller.js';
import { resolveCaller } from '../core/authority/resolve-caller.js';
import { bearerToken } from './bearer.js';

/**
 * The request's caller, resolved by core from its `Authorization: Bearer` credential (an access
 * token or an API key): what every management route asks first.
 * @throws OAuthError invalid_token (401).
 */
export function requestCaller(ctx: CoreContext, request: FastifyRequest): Promise<Caller> {
  return resolveCaller(ctx, bearerToken(request));
}
