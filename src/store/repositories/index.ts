import type { Kysely } from 'kysely';
import type { Repositories } from '../../core/context.js';
import type { Database } from '../schema.js';
import { accessTokenRepository } from './access-tokens.js';
import { authorizationCodeRepository } from './authorization-codes.js';
import { clientRepository } from './clients.js';
import { consentRepository } from './consents.js';
import { loginSessionRepository } from './login-sessions.js';
import { refreshTokenRepository } from './refresh-tokens.js';
import { scopeRepository } from './scopes.js';
import { signingKeyRepository } from './signing-keys.js';
import { userRepository } from './users.js';

/** Every repository over one Kysely instance (SQLite or PostgreSQL). */
export function createRepositories(db: Kysely<Database>): Repositories {
  return {
    clients: clientRepository(db),
    users: userRepository(db),
    scopes: scopeRepository(db),
    authorizationCodes: authorizationCodeRepository(db),
    accessTokens: accessTokenRepository(db),
    refreshTokens: refreshTokenRepository(db),
    signingKeys: signingKeyRepository(db),
    consents: consentRepository(db),
    loginSessions: loginSessionRepository(db),
  };
}
