/** A browser's signed-in state at the authorization server (the login page's result). */
export interface LoginSession {
  id: string;
  digest: string;
  userId: string;
  authTime: number;
  expiresAt: number;
  createdAt: number;
}

export interface LoginSessionRepository {
  insert(session: LoginSession): Promise<void>;
  findByDigest(digest: string): Promise<LoginSession | undefined>;
  delete(id: string): Promise<void>;
}
