import type { Config } from '../config/schema.js';
import type { Clock } from './clock.js';
import type { ClientRepository } from './clients/client.js';
import type { UserClaimsSource, UserRepository } from './users/user.js';
import type { RbacRepository } from './rbac/rbac.js';
import type { AccountTokenRepository } from './accounts/account-token.js';
import type { MailQueue } from './accounts/mail-queue.js';
import type { OrganizationRepository } from './rbac/organization.js';
import type { ScopeRepository } from './scopes/scope.js';
import type { AuthorizationCodeRepository } from './oauth/authorization-code.js';
import type { AccessTokenRepository } from './tokens/access-token-record.js';
import type { RefreshTokenRepository } from './tokens/refresh-token-record.js';
import type { SigningKeyRepository } from './keys/signing-key-record.js';
import type { ConsentRepository } from './consents/consent.js';
import type { LoginSessionRepository } from './sessions/login-session.js';
import type { KeyRing } from './keys/key-ring.js';
import type { LoginThrottle } from './ratelimit/login-throttle.js';
import type { MaintenanceRepository } from './maintenance/maintenance-repository.js';
import type { ApiKeyRepository, ApiKeyUsageRepository } from './apikeys/api-key.js';
import type { ApiKeyUsageRecorder } from './apikeys/usage-recorder.js';
import type { ApiKeyRateLimiter } from './ratelimit/api-key-limits.js';
import type { MailLimiter } from './ratelimit/mail-limits.js';

export interface Repositories {
  clients: ClientRepository;
  users: UserRepository;
  scopes: ScopeRepository;
  authorizationCodes: AuthorizationCodeRepository;
  accessTokens: AccessTokenRepository;
  refreshTokens: RefreshTokenRepository;
  signingKeys: SigningKeyRepository;
  consents: ConsentRepository;
  loginSessions: LoginSessionRepository;
  /** Aggregates and bulk deletes for the admin CLI. */
  maintenance: MaintenanceRepository;
  apiKeys: ApiKeyRepository;
  apiKeyUsage: ApiKeyUsageRepository;
  rbac: RbacRepository;
  accountTokens: AccountTokenRepository;
  organizations: OrganizationRepository;
}

/** Everything a core service needs, passed in: no service reaches for a global. */
export interface CoreContext {
  config: Config;
  clock: Clock;
  repos: Repositories;
  keys: KeyRing;
  userClaims: UserClaimsSource;
  loginThrottle: LoginThrottle;
  /** Requests per API key by tier (`X-RateLimit-*`). */
  apiKeyLimiter: ApiKeyRateLimiter;
  /** Per-key usage counts, written in batches. */
  apiKeyUsage: ApiKeyUsageRecorder;
  /** Verification, reset and invitation mail: queued here, sent by its worker. */
  mailQueue: MailQueue;
  /** Requests that send mail, per recipient address and per client address. */
  mailLimiter: MailLimiter;
}
