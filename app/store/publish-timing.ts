/** When the store publishes a snapshot (scan-store.ts), and its wait for the first paint. */

/**
 * Results reach the page in bursts; repaint at most this often so the main thread stays free.
 * Every publish re-renders the table, heatmap and panels: at 80 ms through a whole scan that took
 * most of a core on a 2-core machine, a core the scan needs (`npm run bench`). So results come
 * every PUBLISH_INTERVAL_MS while scales and small tensors are scanned (the verdict), then every
 * BULK_PUBLISH_INTERVAL_MS.
 */
export const PUBLISH_INTERVAL_MS = 80;
export const BULK_PUBLISH_INTERVAL_MS = 250;
/**
 * A publish costs time in proportion to the rows (the table sorts and the heatmap folds them all):
 * the intervals grow by their own length per this many rows, so a 100,000-tensor checkpoint
 * repaints about once a second instead of spending the whole scan re-rendering.
 */
export const ROWS_PER_INTERVAL = 10_000;

/**
 * How long to wait before the next publish: none when the verdict just became complete, else the
 * interval of the phase (scales still outstanding or bulk), longer for more rows.
 */
export function publishDelay(rows: number, scalesOutstanding: boolean, now: boolean): number {
  if (now) {
    return 0;
  }
  const scale = 1 + rows / ROWS_PER_INTERVAL;
  return (scalesOutstanding ? PUBLISH_INTERVAL_MS : BULK_PUBLISH_INTERVAL_MS) * scale;
}

/** Runs `f` once the page has painted what is committed now (or after 100 ms in a hidden tab). */
export function afterNextPaint(f: () => void): void {
  let done = false;
  const once = (): void => {
    if (!done) {
      done = true;
      f();
    }
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 100);
}
