export interface AuthorizationCode {
  id: string;
  digest: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | null;
  nonce: string | null;
  authTime: number;
  expiresAt: number;
  consumedAt: number | null;
  createdAt: number;
}

export interface AuthorizationCodeRepository {
  insert(code: AuthorizationCode): Promise<void>;
  /** Marks the code consumed and returns it; exactly one caller ever gets it. */
  consume(digest: string, now: number): Promise<AuthorizationCode | undefined>;
  findByDigest(digest: string): Promise<AuthorizationCode | undefined>;
  deleteExpired(before: number): Promise<number>;
}
