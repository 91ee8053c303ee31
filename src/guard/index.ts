/**
 * `portcullis/guard`: verify Portcullis credentials in your own API, whatever its framework.
 * Adapters: `portcullis/guard/fastify`, `portcullis/guard/express`, `portcullis/guard/hono`.
 */
export {
  createGuard,
  DEFAULT_ALGORITHMS,
  type Guard,
  type GuardOptions,
  type Authenticated,
} from './create-guard.js';
export { GuardError, type GuardErrorCode, type GuardErrorBody } from './errors.js';
export { makePrincipal, type Principal, type PrincipalKind } from './principal.js';
export { presentedCredential, type CredentialHeaders } from './credentials.js';
export type { IntrospectionOptions } from './introspection.js';
export {
  scopes,
  roles,
  permissions,
  organization,
  underPrefix,
  type Requirement,
} from './requirements.js';
export { revokedJtiKey, REVOKED_JTI_PREFIX } from '../core/tokens/revocation-list.js';
