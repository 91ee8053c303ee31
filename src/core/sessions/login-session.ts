/** A browser's signed-in state at the authorization server (the login page's result). */
export interface LoginSession {
  id: string;
  digest: string;
  userId: string;
  authTime: number;
  /**
   * Digest of the authorization request this sign-in was made for (see
   * `authorizationRequestDigest`): that request's `prompt=login` and `max_age` are satisfied by
   * it, through every later form post of the same request, until the request is answered, and
   * no other request's are.
   */
  requestDigest: string | null;
  expiresAt: number;
  createdAt: number;
}

export interface LoginSessionRepository {
  insert(session: LoginSession): Promise<void>;
  findByDigest(digest: string): Promise<LoginSession | undefined>;
  /** Forgets the request a sign-in was made for (it has been answered). */
  clearRequestDigest(id: string): Promise<void>;
  delete(id: string): Promise<void>;
}
