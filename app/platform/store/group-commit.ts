/**
 * Group commit: callers submit one item each and get its own result, while the items that arrive
 * during a commit wait and then share the next one (one transaction, one fsync, for all of them).
 * Nothing waits on a timer: a commit starts at the end of the current turn of the event loop (so
 * requests read in the same turn share it, which is what batches a synchronous store such as
 * SQLite), and carries as many items as arrived while the previous one ran (up to maxBatch).
 * A result is handed back only after its batch committed, so an acknowledged write is durable.
 */
export class GroupCommit<I, O> {
  private queue: { item: I; ok: (o: O) => void; fail: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    /** Commits all items in one transaction; returns one result per item, in order. */
    private readonly commit: (items: readonly I[]) => Promise<readonly O[]> | readonly O[],
    private readonly maxBatch = 512,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((ok, fail) => {
      this.queue.push({ item, ok, fail });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Items waiting for the next commit. */
  get waiting(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.commit(batch.map((b) => b.item));
          batch.forEach((b, i) => b.ok(results[i]!));
        } catch (e) {
          for (const b of batch) b.fail(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
