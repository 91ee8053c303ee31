import { InvalidInputError } from '../entity-errors.js';
import type { CoreContext } from '../context.js';
import { API_KEY_ENVIRONMENTS, type ApiKeyEnvironment } from './api-key.js';

/** `*`, `name`, `resource:action`, `resource:*`, `*:action`: the grammar of every scope here. */
const KEY_SCOPE = /^(\*|[A-Za-z0-9_.-]+(:(\*|[A-Za-z0-9_.-]+))?|\*:[A-Za-z0-9_.-]+)$/;
const MAX_SCOPES = 100;
const MAX_METADATA_BYTES = 4096;

export function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200)
    throw new InvalidInputError('name must be 1 to 200 characters');
  return trimmed;
}

export function checkScopes(scopes: readonly string[]): string[] {
  if (scopes.length > MAX_SCOPES) throw new InvalidInputError(`at most ${MAX_SCOPES} scopes`);
  for (const scope of scopes) {
    if (scope.length > 200 || !KEY_SCOPE.test(scope))
      throw new InvalidInputError(
        `"${scope}" is not a scope: use resource:action, resource:*, *:action or *`,
      );
  }
  return [...new Set(scopes)];
}

export function checkTier(ctx: CoreContext, tier: string): string {
  if (!(tier in ctx.config.apiKeys.tiers)) {
    throw new InvalidInputError(
      `unknown tier "${tier}": one of ${Object.keys(ctx.config.apiKeys.tiers).join(', ')}`,
    );
  }
  return tier;
}

export function checkEnvironment(environment: string): ApiKeyEnvironment {
  if (!API_KEY_ENVIRONMENTS.includes(environment as ApiKeyEnvironment))
    throw new InvalidInputError('environment must be live or test');
  return environment as ApiKeyEnvironment;
}

export function checkMetadata(metadata: unknown): Record<string, unknown> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    throw new InvalidInputError('metadata must be a JSON object');
  if (Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES)
    throw new InvalidInputError(`metadata must be at most ${MAX_METADATA_BYTES} bytes of JSON`);
  return metadata as Record<string, unknown>;
}

export function checkExpiry(ctx: CoreContext, expiresAt: number | null): number | null {
  if (expiresAt === null) return null;
  if (!Number.isFinite(expiresAt) || expiresAt <= ctx.clock.now())
    throw new InvalidInputError('expires_at must be in the future');
  if (expiresAt > Date.UTC(9999, 0, 1)) throw new InvalidInputError('expires_at is too far away');
  return expiresAt;
}
