/**
 * The outcomes of one scan job as they reach the page. A worker's reply to `scanBatch` comes on the
 * worker's port, its outcomes on the callback's own port (comlink `proxy`), and the browser does
 * not order messages across ports: the reply can arrive before the last outcomes. The reply says
 * how many outcomes were sent; `settle` waits until that many have arrived.
 */
export class JobDelivery {
  private received = 0;
  private expected: number | null = null;
  private wake: (() => void) | null = null;
  private done = false;

  /** `abandoned` resolves when the job's worker is gone (no more outcomes can come). */
  constructor(private readonly abandoned: Promise<void>) {}

  /** Whether the job has settled: later messages of it (progress) are stale. */
  get settled(): boolean {
    return this.done;
  }

  /** Counts `count` outcomes that arrived; false when they come after the job settled (dropped). */
  receive(count: number): boolean {
    if (this.done) {
      return false;
    }
    this.received += count;
    if (this.expected !== null && this.received >= this.expected) {
      this.wake?.();
    }
    return true;
  }

  /** Resolves once `sent` outcomes have arrived, or the worker is gone. */
  async settle(sent: number): Promise<void> {
    this.expected = sent;
    if (this.received < sent) {
      await Promise.race([
        new Promise<void>((resolve) => {
          this.wake = resolve;
        }),
        this.abandoned,
      ]);
    }
    this.done = true;
  }
}
