/**
 * Sign-in tries of each account that hold a reserved point in this process, and the tries
 * waiting for them. A try refused only because others are still being checked waits for one of
 * them to settle and asks again: a burst of correct sign-ins is slowed, not refused, while a
 * burst of guesses still gets no more checks than the limit.
 */
export class TriesInFlight {
  private readonly byAccount = new Map<string, { held: number; waiters: Array<() => void> }>();

  held(account: string): number {
    return this.byAccount.get(account)?.held ?? 0;
  }

  waiting(account: string): number {
    return this.byAccount.get(account)?.waiters.length ?? 0;
  }

  begin(account: string): void {
    const entry = this.byAccount.get(account) ?? { held: 0, waiters: [] };
    entry.held++;
    this.byAccount.set(account, entry);
  }

  /** A held try is done (its point spent or given back): every waiting try asks again. */
  settle(account: string): void {
    const entry = this.byAccount.get(account);
    if (!entry) return;
    entry.held--;
    const waiters = entry.waiters;
    entry.waiters = [];
    if (entry.held <= 0) this.byAccount.delete(account);
    for (const wake of waiters) wake();
  }

  /** Resolves when a held try of the account settles; only while `held(account) > 0`. */
  nextSettle(account: string): Promise<void> {
    const entry = this.byAccount.get(account);
    if (!entry) return Promise.resolve();
    return new Promise((resolve) => entry.waiters.push(resolve));
  }
}
