/**
 * A counting semaphore per host: at most `perHost` holders at once, the rest wait in order. Every
 * `acquire` resolves with a `release` that must be called exactly once (later calls do nothing).
 */
export class HostSlots {
  private readonly busy = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly perHost: number) {}

  async acquire(host: string): Promise<() => void> {
    const inUse = this.busy.get(host) ?? 0;
    if (inUse < this.perHost) {
      this.busy.set(host, inUse + 1);
    } else {
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(host) ?? [];
        queue.push(resolve);
        this.waiting.set(host, queue);
      });
    }
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      const queue = this.waiting.get(host);
      const next = queue?.shift();
      if (next !== undefined) {
        // The slot passes straight to the next waiter: the count stays the same.
        next();
        return;
      }
      this.busy.set(host, (this.busy.get(host) ?? 1) - 1);
    };
  }

  /** Holders of `host`'s slots right now (for tests). */
  inUse(host: string): number {
    return this.busy.get(host) ?? 0;
  }
}
