import { unlinkSync } from 'node:fs';
import { terminalSafe } from './terminal-text';

/**
 * Every signal that ends the process by default and that a user or a supervisor sends to stop a
 * run: Ctrl-C (SIGINT), `kill` and service managers (SIGTERM), a closed terminal or ssh session
 * (SIGHUP), Ctrl-\ (SIGQUIT). Each one removes the temporary file being written (a 2.28 GB hidden
 * file was left by SIGHUP and SIGQUIT when only SIGINT and SIGTERM were handled). SIGKILL cannot
 * be caught; the `.ckptscope-*.tmp` name says what such a leftover is.
 */
export const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

/**
 * Exit status after a signal: 2, as any other failed repair (nothing was written), keeping the
 * CLI's promise of 0, 1 or 2 rather than the shell's 128 + signal number.
 */
export const SIGNAL_EXIT_STATUS = 2;

const active = new Set<string>();
let installed = false;

/**
 * Handles the signals of CLEANUP_SIGNALS from now on: remove every tracked temporary file, say so
 * on stderr, exit with SIGNAL_EXIT_STATUS. Called by `repair` before it writes anything.
 */
export function installSignalCleanup(): void {
  if (installed) {
    return;
  }
  installed = true;
  for (const signal of CLEANUP_SIGNALS) {
    process.once(signal, () => {
      const removed = [...active];
      removeTrackedTempFiles();
      const what =
        removed.length === 0
          ? 'nothing was being written'
          : `removed the unfinished ${terminalSafe(removed.join(', '))}`;
      process.stderr.write(`\nckptscope: stopped by ${signal}: ${what}\n`);
      process.exit(SIGNAL_EXIT_STATUS);
    });
  }
}

/**
 * Remembers a temporary file until it is renamed or removed, so that a signal while a repair is
 * being written removes it instead of leaving a half-written file beside the target.
 */
export function trackTempFile(path: string): void {
  installSignalCleanup();
  active.add(path);
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
