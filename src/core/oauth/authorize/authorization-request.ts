import type { Client } from '../../clients/client.js';

export type Prompt = 'none' | 'login' | 'consent';

/** A validated `/authorize` request: every field here has passed the pipeline. */
export interface AuthorizationRequest {
  client: Client;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | null;
  prompt: Set<Prompt>;
  maxAge: number | null;
  /** The user an `id_token_hint` names: only that user's session may serve the request. */
  subjectHint: string | null;
}

export type AuthorizationParams = Record<string, string | undefined>;

/** One step of the pipeline: reads params, fills the request, or throws an OAuthError. */
export type AuthorizeCheck = (
  params: AuthorizationParams,
  request: Partial<AuthorizationRequest>,
) => void | Promise<void>;
