/** Public API of the `portcullis` package. */
export { loadConfig, parseConfig, ConfigError } from './config/load.js';
export type { Config, ConfigInput } from './config/schema.js';
export {
  openPortcullis,
  type Portcullis,
  type OpenPortcullisOptions,
} from './runtime/open-portcullis.js';
export { startServer, type RunningServer } from './runtime/serve.js';
export { buildApp, type BuildAppOptions } from './http/app.js';
export { portcullisPlugin, type PortcullisPluginOptions } from './http/plugin.js';
export { OAuthError, type OAuthErrorCode } from './core/oauth/errors.js';
export { scopeAllows, scopeCovers, scopesAllowAll, parseScope } from './core/scopes/match.js';
export { ManualClock, systemClock, type Clock } from './core/clock.js';
export type { CoreContext } from './core/context.js';
export {
  createClient,
  regenerateClientSecret,
  type CreateClientOptions,
} from './core/clients/create-client.js';
export { createUser, type CreateUserOptions } from './core/users/create-user.js';
export {
  createPersonalAccessToken,
  listPersonalAccessTokens,
  revokePersonalAccessToken,
} from './core/tokens/personal-access-tokens.js';
export { rotateSigningKey } from './runtime/rotate-signing-key.js';
export type { ClientKind, GrantType, Client } from './core/clients/client.js';
export { requireApiKey, presentedApiKey, type RequireApiKeyOptions } from './http/api-key-auth.js';
export {
  createApiKey,
  type CreateApiKeyOptions,
  type CreatedApiKey,
} from './core/apikeys/create-api-key.js';
export {
  verifyApiKey,
  type ApiKeyVerification,
  type ApiKeyFailureCode,
} from './core/apikeys/verify-api-key.js';
export {
  findApiKey,
  updateApiKey,
  revokeApiKey,
  rotateApiKey,
} from './core/apikeys/manage-api-key.js';
export type { ApiKey, ApiKeyEnvironment } from './core/apikeys/api-key.js';
export type { ApiKeyPrincipal } from './core/apikeys/principal.js';
export { startBackgroundJobs } from './runtime/background-jobs.js';
export { ConflictError, InvalidInputError, NotFoundError } from './core/entity-errors.js';
