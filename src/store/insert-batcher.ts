/**
 * Group commit: rows inserted during one turn of the event loop are written together in one
 * multi-row INSERT (one implicit transaction), and every caller's promise settles only after
 * that statement committed — so "acknowledged only after commit" still holds, at a fraction of
 * the per-row cost under load. If a batch fails, its rows are retried one by one so one bad row
 * fails only its own caller.
 */
export class InsertBatcher<Row> {
  private queue: Array<{ row: Row; resolve: () => void; reject: (error: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly write: (rows: Row[]) => Promise<void>,
    private readonly maxBatch = 100,
  ) {}

  insert(row: Row): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) this.schedule();
    if (batch.length === 0) return;
    try {
      await this.write(batch.map((entry) => entry.row));
      for (const entry of batch) entry.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const entry of batch) {
        await this.write([entry.row]).then(entry.resolve, entry.reject);
      }
    }
  }
}
