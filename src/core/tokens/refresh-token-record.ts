/** A chain of refresh tokens from one grant; reuse of any rotated member revokes it all. */
export interface RefreshTokenFamily {
  id: string;
  clientId: string;
  userId: string | null;
  /** The scopes originally granted: the ceiling of every refresh. */
  scopes: string[];
  authorizationCodeId: string | null;
  authTime: number | null;
  nonce: string | null;
  /** The organization the user switched to for this session; null: none. */
  organizationId: string | null;
  revokedAt: number | null;
  createdAt: number;
}

export interface RefreshTokenRecord {
  id: string;
  digest: string;
  familyId: string;
  scopes: string[];
  expiresAt: number;
  consumedAt: number | null;
  createdAt: number;
}

export interface RefreshTokenRepository {
  insertFamily(family: RefreshTokenFamily): Promise<void>;
  insert(token: RefreshTokenRecord): Promise<void>;
  findFamily(id: string): Promise<RefreshTokenFamily | undefined>;
  findByDigest(digest: string): Promise<RefreshTokenRecord | undefined>;
  /** Marks the token rotated and returns it; exactly one caller ever gets it. */
  consume(digest: string, now: number): Promise<RefreshTokenRecord | undefined>;
  revokeFamily(familyId: string, now: number): Promise<boolean>;
  /** Revokes the families born from an authorization code; returns their ids. */
  revokeFamiliesByAuthorizationCode(codeId: string, now: number): Promise<string[]>;
  revokeFamiliesByClient(clientId: string, now: number): Promise<number>;
  revokeFamiliesByUser(userId: string, now: number): Promise<number>;
  /** Revokes a user's sessions switched to one organization; returns the families' ids. */
  revokeFamiliesByUserInOrganization(userId: string, org: string, now: number): Promise<string[]>;
}
