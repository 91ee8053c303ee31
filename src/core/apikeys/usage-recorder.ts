import type { Clock } from '../clock.js';
import type { ApiKeyUsageRepository } from './api-key.js';

const HOUR_MS = 3_600_000;

type Count = { keyId: string; hour: number; requests: number };

/** One key's requests in its current hour, and when it was last used. */
interface Tally {
  hour: number;
  requests: number;
  lastUsed: number;
}

/**
 * Counts requests per key and hour in memory and writes them in one batch (`flush`), so a
 * request costs one map update, not a database write. Counts of a crashed process since its last
 * flush are lost: usage is for reporting, never for security.
 */
export class ApiKeyUsageRecorder {
  /** Each key's tally for the hour it was last used in. */
  private tallies = new Map<string, Tally>();
  /** Counts of hours a key has moved past, not written yet. */
  private closed: Count[] = [];
  /** Last-used times a failed write left behind. */
  private unwrittenUse = new Map<string, number>();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly repo: ApiKeyUsageRepository,
    private readonly clock: Clock,
  ) {}

  record(keyId: string, now: number = this.clock.now()): void {
    const hour = now - (now % HOUR_MS);
    const tally = this.tallies.get(keyId);
    if (tally !== undefined && tally.hour === hour) {
      tally.requests += 1;
      if (now > tally.lastUsed) tally.lastUsed = now;
      return;
    }
    if (tally !== undefined)
      this.closed.push({ keyId, hour: tally.hour, requests: tally.requests });
    this.tallies.set(keyId, { hour, requests: 1, lastUsed: Math.max(now, tally?.lastUsed ?? 0) });
  }

  /** Writes what was counted since the last flush; counts survive a failed write for the next. */
  async flush(): Promise<void> {
    await this.flushing;
    if (this.tallies.size === 0 && this.closed.length === 0 && this.unwrittenUse.size === 0) return;
    // One row per key and hour (PostgreSQL refuses an upsert that touches a row twice).
    const merged = new Map<string, Count>();
    const add = (c: Count) => {
      const slot = `${c.keyId}:${c.hour}`;
      const entry = merged.get(slot);
      if (entry) entry.requests += c.requests;
      else merged.set(slot, { ...c });
    };
    this.closed.forEach(add);
    const used = new Map(this.unwrittenUse);
    for (const [keyId, tally] of this.tallies) {
      add({ keyId, hour: tally.hour, requests: tally.requests });
      if ((used.get(keyId) ?? 0) < tally.lastUsed) used.set(keyId, tally.lastUsed);
    }
    const counts = [...merged.values()];
    const lastUsed = [...used].map(([keyId, at]) => ({ keyId, at }));
    this.tallies = new Map();
    this.closed = [];
    this.unwrittenUse = new Map();
    this.flushing = this.repo.add(counts, lastUsed).catch((error: unknown) => {
      this.closed.push(...counts);
      for (const { keyId, at } of lastUsed)
        if ((this.unwrittenUse.get(keyId) ?? 0) < at) this.unwrittenUse.set(keyId, at);
      throw error;
    });
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }
}
