import type { CoreContext } from '../../context.js';
import { parseScope } from '../../scopes/match.js';
import { resolveRequestedScopes } from '../../scopes/resolve-scopes.js';
import { authenticateUser } from '../../users/authenticate-user.js';
import { invalidGrant, invalidRequest } from '../errors.js';
import { issueTokenResponse, type TokenResponse } from '../../tokens/token-response.js';
import type { GrantRequest } from './grant-request.js';

/** RFC 6749 §4.3: resource owner password credentials, for first-party password clients. */
export async function passwordGrant(
  ctx: CoreContext,
  { client, params }: GrantRequest,
): Promise<TokenResponse> {
  if (!params.username || params.password === undefined) {
    throw invalidRequest('username and password are required');
  }
  const scopes = await resolveRequestedScopes(ctx, client, parseScope(params.scope));
  const user = await authenticateUser(ctx, params.username, params.password);
  if (!user) throw invalidGrant('invalid username or password');
  return issueTokenResponse(ctx, { client, user, scopes, authTime: ctx.clock.now() });
}
