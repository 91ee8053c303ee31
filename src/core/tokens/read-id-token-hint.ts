import { compactVerify, decodeProtectedHeader } from 'jose';
import type { CoreContext } from '../context.js';

/** Who an `id_token_hint` names and which client it was issued to. */
export interface IdTokenHint {
  sub: string;
  aud: string;
}

/**
 * Reads an id_token this server signed, as an `id_token_hint` (OIDC Core §3.1.2.1, RP-Initiated
 * Logout §2): the signature and issuer are checked, the expiry is not (an expired id_token is the
 * usual hint). Undefined for anything else, never a throw.
 */
export async function readIdTokenHint(
  ctx: CoreContext,
  token: string,
): Promise<IdTokenHint | undefined> {
  try {
    const { kid } = decodeProtectedHeader(token);
    const key = kid ? await ctx.keys.verificationKey(kid) : undefined;
    if (!key) return undefined;
    const { payload, protectedHeader } = await compactVerify(token, key.key, {
      algorithms: [key.alg],
    });
    // An access token (typ at+jwt) is not an id_token.
    if (protectedHeader.typ !== undefined && protectedHeader.typ !== 'JWT') return undefined;
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    if (claims.iss !== ctx.config.issuer) return undefined;
    if (typeof claims.aud !== 'string' || typeof claims.sub !== 'string') return undefined;
    return { sub: claims.sub, aud: claims.aud };
  } catch {
    return undefined;
  }
}
