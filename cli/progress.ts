import { formatBytes, formatDuration } from './terminal-text';

/** Redraw at most this often: a terminal repaint per chunk would cost more than the scan. */
const PROGRESS_REDRAW_MS = 100;
const BAR_WIDTH = 28;

export interface Progress {
  advance(bytes: number): void;
  done(): void;
}

/** A one-line progress bar with throughput and time left, drawn on stderr only when it is a terminal. */
export function createProgress(
  totalBytes: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (!stream.isTTY || totalBytes === 0) {
    return { advance: () => undefined, done: () => undefined };
  }
  const started = performance.now();
  let doneBytes = 0;
  let lastDraw = 0;
  const draw = (): void => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? doneBytes / elapsed : 0;
    const fraction = Math.min(1, doneBytes / totalBytes);
    const filled = Math.round(fraction * BAR_WIDTH);
    const left = rate > 0 ? (totalBytes - doneBytes) / rate : Number.POSITIVE_INFINITY;
    stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${(fraction * 100).toFixed(1)}% ` +
        `${formatBytes(doneBytes)}/${formatBytes(totalBytes)} ${formatBytes(rate)}/s ETA ${formatDuration(left)}   `,
    );
  };
  return {
    advance(bytes: number): void {
      doneBytes += bytes;
      const now = performance.now();
      if (now - lastDraw >= PROGRESS_REDRAW_MS) {
        lastDraw = now;
        draw();
      }
    },
    done(): void {
      stream.write('\r\u001b[2K');
    },
  };
}
