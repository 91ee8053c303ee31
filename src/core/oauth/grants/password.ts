import type { CoreContext } from '../../context.js';
import { parseScope } from '../../scopes/match.js';
import { resolveRequestedScopes } from '../../scopes/resolve-scopes.js';
import { signIn } from '../../users/sign-in.js';
import { invalidGrant, invalidRequest, tooManyAttempts } from '../errors.js';
import { issueTokenResponse, type TokenResponse } from '../../tokens/token-response.js';
import type { GrantRequest } from './grant-request.js';

/** RFC 6749 §4.3: resource owner password credentials, for first-party password clients. */
export async function passwordGrant(
  ctx: CoreContext,
  { client, params, ip }: GrantRequest,
): Promise<TokenResponse> {
  if (!params.username || params.password === undefined) {
    throw invalidRequest('username and password are required');
  }
  const scopes = await resolveRequestedScopes(ctx, client, parseScope(params.scope));
  const result = await signIn(ctx, { email: params.username, password: params.password, ip });
  if (!result.ok) {
    if (result.reason === 'throttled') throw tooManyAttempts(result.retryAfterSeconds);
    throw invalidGrant('invalid username or password');
  }
  return issueTokenResponse(ctx, {
    grantType: 'password',
    client,
    user: result.user,
    scopes,
    authTime: ctx.clock.now(),
  });
}
