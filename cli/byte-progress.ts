import { createProgress } from './progress';

/**
 * Adapts core's `(bytesDone, bytesTotal)` callbacks to a progress bar that counts bytes: each call
 * advances the bar by what was done since the previous one.
 */
export function progressFeed(advance: (bytes: number) => void): (done: number) => void {
  let reported = 0;
  return (done) => {
    advance(done - reported);
    reported = done;
  };
}

/** A bar created on the first callback, once the total is known; `done` clears it if it was drawn. */
export function lazyProgress(
  show: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): {
  readonly onProgress: (done: number, total: number) => void;
  readonly done: () => void;
} {
  let bar: ReturnType<typeof createProgress> | null = null;
  let feed: ((done: number) => void) | null = null;
  return {
    onProgress: (done, total) => {
      if (!show) {
        return;
      }
      if (bar === null) {
        const created = createProgress(total, stream);
        bar = created;
        feed = progressFeed((n) => created.advance(n));
      }
      feed?.(done);
    },
    done: () => {
      bar?.done();
    },
  };
}
