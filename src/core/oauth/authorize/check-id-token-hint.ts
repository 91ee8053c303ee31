import type { CoreContext } from '../../context.js';
import { readIdTokenHint } from '../../tokens/read-id-token-hint.js';
import { invalidRequest } from '../errors.js';
import type { AuthorizationParams, AuthorizationRequest } from './authorization-request.js';

/** OIDC Core §3.1.2.1 `id_token_hint`: an id_token of ours, issued to this client. */
export async function checkIdTokenHint(
  ctx: CoreContext,
  params: AuthorizationParams,
  request: Partial<AuthorizationRequest>,
): Promise<void> {
  request.subjectHint = null;
  if (params.id_token_hint === undefined) return;
  const hint = await readIdTokenHint(ctx, params.id_token_hint);
  if (!hint || hint.aud !== request.client!.id) {
    throw invalidRequest('id_token_hint is not an id_token issued to this client');
  }
  request.subjectHint = hint.sub;
}
