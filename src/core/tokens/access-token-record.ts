import type { GrantType } from '../clients/client.js';

export type AccessTokenKind = 'access' | 'personal';

/** The grant that issued a token: an OAuth grant, or a personal access token's creation. */
export type IssuingGrant = GrantType | 'personal_access';

/** What we keep of an issued access token (the JWT itself is never stored). */
export interface AccessTokenRecord {
  jti: string;
  kind: AccessTokenKind;
  clientId: string;
  userId: string | null;
  /** Name of a personal access token. */
  name: string | null;
  scopes: string[];
  authorizationCodeId: string | null;
  refreshFamilyId: string | null;
  /** Null for tokens issued before grants were recorded. */
  grantType: IssuingGrant | null;
  expiresAt: number;
  revokedAt: number | null;
  createdAt: number;
}

export interface AccessTokenRepository {
  insert(token: AccessTokenRecord): Promise<void>;
  findByJti(jti: string): Promise<AccessTokenRecord | undefined>;
  /** Revokes one token; false when it was unknown or already revoked. */
  revoke(jti: string, now: number): Promise<boolean>;
  revokeByAuthorizationCode(codeId: string, now: number): Promise<number>;
  revokeByRefreshFamily(familyId: string, now: number): Promise<number>;
  revokeByClient(clientId: string, now: number): Promise<number>;
  revokeByUser(userId: string, now: number): Promise<number>;
  listPersonal(userId: string, now: number): Promise<AccessTokenRecord[]>;
  /** A client's tokens, newest first, at most `limit` of them. */
  listByClient(clientId: string, limit: number): Promise<AccessTokenRecord[]>;
}
