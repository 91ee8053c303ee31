/** Table shapes as stored. Times are epoch milliseconds; lists are JSON text. */
export interface Database {
  users: UsersTable;
  clients: ClientsTable;
  scopes: ScopesTable;
  authorization_codes: AuthorizationCodesTable;
  access_tokens: AccessTokensTable;
  refresh_token_families: RefreshTokenFamiliesTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  consents: ConsentsTable;
  login_sessions: LoginSessionsTable;
  api_keys: ApiKeysTable;
  api_key_usage: ApiKeyUsageTable;
  organizations: OrganizationsTable;
  organization_members: OrganizationMembersTable;
  permissions: PermissionsTable;
  roles: RolesTable;
  role_permissions: RolePermissionsTable;
  user_roles: UserRolesTable;
  user_permissions: UserPermissionsTable;
  account_tokens: AccountTokensTable;
  organization_invitations: OrganizationInvitationsTable;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  password_hash: string | null;
  email_verified_at: number | null;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ClientsTable {
  id: string;
  name: string;
  kind: string;
  secret_digest: string | null;
  redirect_uris: string;
  grant_types: string;
  scopes: string;
  user_id: string | null;
  /** 0 or 1. */
  skip_consent: number;
  revoked_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ScopesTable {
  name: string;
  description: string;
  created_at: number;
  /** Set by `scopes:delete`: the scope is gone and configuration does not restore it. */
  deleted_at: number | null;
}

export interface AuthorizationCodesTable {
  id: string;
  digest: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  scopes: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  nonce: string | null;
  auth_time: number;
  expires_at: number;
  consumed_at: number | null;
  replayed_at: number | null;
  created_at: number;
}

export interface AccessTokensTable {
  jti: string;
  kind: string;
  client_id: string;
  user_id: string | null;
  name: string | null;
  scopes: string;
  authorization_code_id: string | null;
  refresh_family_id: string | null;
  /** The grant that issued it; null for tokens issued before migration 004. */
  grant_type: string | null;
  expires_at: number;
  revoked_at: number | null;
  created_at: number;
}

export interface RefreshTokenFamiliesTable {
  id: string;
  client_id: string;
  user_id: string | null;
  scopes: string;
  authorization_code_id: string | null;
  auth_time: number | null;
  nonce: string | null;
  organization_id: string | null;
  revoked_at: number | null;
  created_at: number;
}

export interface RefreshTokensTable {
  id: string;
  digest: string;
  family_id: string;
  scopes: string;
  expires_at: number;
  consumed_at: number | null;
  created_at: number;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  status: string;
  created_at: number;
  retired_at: number | null;
  verify_until: number | null;
}

export interface ConsentsTable {
  user_id: string;
  client_id: string;
  scopes: string;
  created_at: number;
  updated_at: number;
}

export interface LoginSessionsTable {
  id: string;
  digest: string;
  user_id: string;
  auth_time: number;
  request_digest: string | null;
  expires_at: number;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  digest: string;
  display_prefix: string;
  environment: string;
  scopes: string;
  tier: string;
  organization_id: string | null;
  user_id: string | null;
  /** JSON object. */
  metadata: string;
  expires_at: number | null;
  revoked_at: number | null;
  rotated_at: number | null;
  grace_until: number | null;
  replaced_by: string | null;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ApiKeyUsageTable {
  key_id: string;
  /** Start of the hour, epoch milliseconds. */
  hour: number;
  requests: number;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  slug: string;
  created_at: number;
  updated_at: number;
}

export interface OrganizationMembersTable {
  organization_id: string;
  user_id: string;
  created_at: number;
}

export interface PermissionsTable {
  name: string;
  description: string;
  created_at: number;
}

export interface RolesTable {
  id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface RolePermissionsTable {
  role_id: string;
  permission: string;
}

/** `organization_id` '' means in every organization (a global grant). */
export interface UserRolesTable {
  user_id: string;
  role_id: string;
  organization_id: string;
  created_at: number;
}

export interface UserPermissionsTable {
  user_id: string;
  permission: string;
  organization_id: string;
  created_at: number;
}

export interface AccountTokensTable {
  digest: string;
  user_id: string;
  purpose: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface OrganizationInvitationsTable {
  digest: string;
  organization_id: string;
  email: string;
  role: string | null;
  invited_by: string | null;
  expires_at: number;
  accepted_at: number | null;
  created_at: number;
}
