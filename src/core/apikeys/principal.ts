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
  /**
   * Whether the key may do `scope` (wildcards included): Sanctum's `tokenCan`. The key's scopes
   * bounded by its owner's current grants, never more than either.
   */
  tokenCan(scope: string): boolean;
}

class KeyPrincipal implements ApiKeyPrincipal {
  readonly kind = 'api_key' as const;
  readonly id: string;
  readonly sub: string;
  readonly name: string;
  readonly org: string | null;
  readonly userId: string | null;
  readonly scopes: readonly string[];
  readonly tier: string;
  readonly environment: ApiKeyEnvironment;
  readonly metadata: Readonly<Record<string, unknown>>;
  constructor(apiKey: ApiKey, scopes: readonly string[]) {
    this.id = apiKey.id;
    this.sub = apiKey.userId ?? apiKey.id;
    this.name = apiKey.name;
    this.org = apiKey.organizationId;
    this.userId = apiKey.userId;
    this.scopes = scopes;
    this.tier = apiKey.tier;
    this.environment = apiKey.environment;
    this.metadata = apiKey.metadata;
  }
  tokenCan(scope: string): boolean {
    return scopeAllows(this.scopes, scope);
  }
}

/**
 * The principal of a verified key (one object per request, no closures).
 * @param scopes what the key may do now (`ApiKeyVerification.scopes`).
 */
export function apiKeyPrincipal(apiKey: ApiKey, scopes: readonly string[]): ApiKeyPrincipal {
  return new KeyPrincipal(apiKey, scopes);
}
