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
  /** Set when the code was presented again after its first use (RFC 6749 §4.1.2). */
  replayedAt: number | null;
  createdAt: number;
}

export interface AuthorizationCodeRepository {
  insert(code: AuthorizationCode): Promise<void>;
  /** Marks the code consumed and returns it; exactly one caller ever gets it. */
  consume(digest: string, now: number): Promise<AuthorizationCode | undefined>;
  findByDigest(digest: string): Promise<AuthorizationCode | undefined>;
  /** Flags a consumed code as presented again (the first flag's time is kept). */
  markReplayed(id: string, now: number): Promise<void>;
  deleteExpired(before: number): Promise<number>;
}
