/** The part of a writable stream `ignoreClosedStdout` needs (process.stdout, or a test's own). */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error & { code?: string }) => void): unknown;
}

/**
 * A reader that stops early (`ckptscope scan --json … | head`) closes the pipe, and Node reports
 * the next write as an `error` event: without a listener that is an uncaught EPIPE with a stack
 * trace. The reader has what it wanted, so the rest of the output is dropped and the run ends
 * with its own exit status. Any other write error (a full disk behind `> report.json`) is said
 * plainly, and the run fails (2): a report that was not written must not pass.
 */
export function ignoreClosedStdout(
  stream: ErrorEmitter,
  onFailure: (message: string) => void = (message) => {
    process.stderr.write(`ckptscope: ${message}\n`);
    process.exitCode = 2;
  },
): void {
  let reported = false;
  stream.on('error', (error) => {
    if (error.code === 'EPIPE' || reported) {
      return;
    }
    reported = true;
    onFailure(`cannot write the report to stdout: ${error.message}`);
  });
}
