export interface User {
  id: string;
  /** Lower-cased, NFC-normalised. */
  email: string;
  name: string | null;
  passwordHash: string | null;
  emailVerifiedAt: number | null;
  disabledAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface UserRepository {
  insert(user: User): Promise<void>;
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  updatePasswordHash(id: string, hash: string, now: number): Promise<void>;
  markEmailVerified(id: string, at: number): Promise<void>;
  /** Sets or clears `disabledAt`; false when there is no such user. */
  setDisabled(id: string, disabledAt: number | null, now: number): Promise<boolean>;
  /** Users by email, after `afterEmail` (keyset pagination). */
  list(limit: number, afterEmail?: string): Promise<User[]>;
}

/** The claims a user contributes to an access token (`core/rbac/user-claims.ts` fills them). */
export interface UserClaims {
  /** Global roles and permissions only: a grant held in an organization is never global. */
  roles: string[];
  permissions: string[];
  org: string | null;
  /** What the user holds in `org` alone (empty without one). */
  orgRoles: string[];
  orgPermissions: string[];
}

export interface UserClaimsSource {
  /**
   * @param org the organization the token acts for; null or undefined: none (global grants
   *   only). An organization the user is not a member of counts as none.
   */
  claimsFor(userId: string, org?: string | null): Promise<UserClaims>;
}

export const noUserClaims: UserClaimsSource = {
  claimsFor: async () => ({
    roles: [],
    permissions: [],
    org: null,
    orgRoles: [],
    orgPermissions: [],
  }),
};

/** Canonical form of an email address for lookups: NFC, trimmed, lower-case. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}
