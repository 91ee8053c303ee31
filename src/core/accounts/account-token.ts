/** Why a single-use token was mailed. */
export type AccountTokenPurpose = 'verify_email' | 'reset_password';

export interface AccountToken {
  /** SHA-256 (hex) of the token: the token itself is only in the mail. */
  digest: string;
  userId: string;
  purpose: AccountTokenPurpose;
  expiresAt: number;
  usedAt: number | null;
  createdAt: number;
}

export interface AccountTokenRepository {
  insert(token: AccountToken): Promise<void>;
  /**
   * Marks the token used and returns it, only if it exists for `purpose`, is unused and not
   * expired at `now`: one caller wins a race.
   */
  consume(
    digest: string,
    purpose: AccountTokenPurpose,
    now: number,
  ): Promise<AccountToken | undefined>;
  /** Marks every unused token of the user for `purpose` used (a newer one replaces them). */
  retire(userId: string, purpose: AccountTokenPurpose, now: number): Promise<void>;
}
