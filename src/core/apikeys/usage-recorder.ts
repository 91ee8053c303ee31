import type { Clock } from '../clock.js';
import type { ApiKeyUsageRepository } from './api-key.js';

const HOUR_MS = 3_600_000;

/**
 * Counts requests per key and hour in memory and writes them in one batch (`flush`), so a
 * request costs a map update, not a database write. Counts of a crashed process since its last
 * flush are lost: usage is for reporting, never for security.
 */
export class ApiKeyUsageRecorder {
  private counts = new Map<string, { keyId: string; hour: number; requests: number }>();
  private lastUsed = new Map<string, number>();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly repo: ApiKeyUsageRepository,
    private readonly clock: Clock,
  ) {}

  record(keyId: string): void {
    const now = this.clock.now();
    const hour = now - (now % HOUR_MS);
    const slot = `${keyId}:${hour}`;
    const entry = this.counts.get(slot);
    if (entry) entry.requests += 1;
    else this.counts.set(slot, { keyId, hour, requests: 1 });
    this.lastUsed.set(keyId, now);
  }

  /** Writes what was counted since the last flush; counts survive a failed write for the next. */
  async flush(): Promise<void> {
    await this.flushing;
    if (this.counts.size === 0 && this.lastUsed.size === 0) return;
    const counts = [...this.counts.values()];
    const lastUsed = [...this.lastUsed].map(([keyId, at]) => ({ keyId, at }));
    this.counts = new Map();
    this.lastUsed = new Map();
    this.flushing = this.repo.add(counts, lastUsed).catch((error: unknown) => {
      for (const c of counts) {
        const slot = `${c.keyId}:${c.hour}`;
        const entry = this.counts.get(slot);
        if (entry) entry.requests += c.requests;
        else this.counts.set(slot, { ...c });
      }
      for (const { keyId, at } of lastUsed)
        if ((this.lastUsed.get(keyId) ?? 0) < at) this.lastUsed.set(keyId, at);
      throw error;
    });
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }
}
