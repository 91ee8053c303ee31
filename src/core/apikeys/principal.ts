import { scopeAllows } from '../scopes/match.js';
import type { ApiKey, ApiKeyEnvironment } from './api-key.js';

/** Who a request authenticated with an API key is: what route handlers read. */
export interface ApiKeyPrincipal {
  kind: 'api_key';
  /** The key's id. */
  id: string;
  /** The owning user, or the key itself when no user owns it. */
  sub: string;
  name: string;
  org: string | null;
  userId: string | null;
  scopes: readonly string[];
  tier: string;
  environment: ApiKeyEnvironment;
  metadata: Readonly<Record<string, unknown>>;
  /** Whether the key's scopes cover `scope` (wildcards included): Sanctum's `tokenCan`. */
  tokenCan(scope: string): boolean;
}

export function apiKeyPrincipal(apiKey: ApiKey): ApiKeyPrincipal {
  return {
    kind: 'api_key',
    id: apiKey.id,
    sub: apiKey.userId ?? apiKey.id,
    name: apiKey.name,
    org: apiKey.organizationId,
    userId: apiKey.userId,
    scopes: apiKey.scopes,
    tier: apiKey.tier,
    environment: apiKey.environment,
    metadata: apiKey.metadata,
    tokenCan: (scope) => scopeAllows(apiKey.scopes, scope),
  };
}
