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
