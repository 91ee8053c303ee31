import type { Migration } from 'kysely';
import * as m001 from './001-oauth-foundation.js';
import * as m002 from './002-authorization-code-replay.js';
import * as m003 from './003-login-session-request.js';
import * as m004 from './004-admin-cli.js';
import * as m005 from './005-api-keys.js';
import * as m006 from './006-rbac-organizations.js';
import * as m007 from './007-account-tokens.js';
import * as m008 from './008-organization-sessions.js';

/** Every migration, in order. Names sort; they are never renamed once released. */
export const MIGRATIONS: Record<string, Migration> = {
  '001-oauth-foundation': m001,
  '002-authorization-code-replay': m002,
  '003-login-session-request': m003,
  '004-admin-cli': m004,
  '005-api-keys': m005,
  '006-rbac-organizations': m006,
  '007-account-tokens': m007,
  '008-organization-sessions': m008,
};
