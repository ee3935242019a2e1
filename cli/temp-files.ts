import { unlinkSync } from 'node:fs';

/** Conventional exit statuses after SIGINT (128 + 2) and SIGTERM (128 + 15). */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

const active = new Set<string>();
let installed = false;

/**
 * Remembers a temporary file until it is renamed or removed, so that Ctrl-C (or a SIGTERM) while a
 * repair is being written removes it instead of leaving a half-written file beside the target.
 */
export function trackTempFile(path: string): void {
  active.add(path);
  if (!installed) {
    installed = true;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        removeTrackedTempFiles();
        process.exit(SIGNAL_EXIT[signal]);
      });
    }
  }
}

export function untrackTempFile(path: string): void {
  active.delete(path);
}

/** Removes every tracked temporary file, ignoring ones already gone. */
export function removeTrackedTempFiles(): void {
  for (const path of active) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone, or never created: nothing to clean.
    }
  }
  active.clear();
}
