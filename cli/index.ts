import { main } from './main';
import { EXIT_INVALID } from '../core/report/exit-status';
import { ignoreClosedStdout } from './closed-stdout';

ignoreClosedStdout(process.stdout);
main(process.argv.slice(2)).then(
  (status) => {
    // A failed write of the report (closed-stdout.ts) may already have set 2: the worse one wins.
    process.exitCode = Math.max(Number(process.exitCode ?? 0), status);
  },
  (error: unknown) => {
    // A bug, not bad input (bad input is a CheckpointError and reported above): say so plainly.
    // The status is still one of the three (2: the check could not be completed), never a green.
    process.stderr.write(
      `ckptscope: internal error (a bug in ckptscope, please report it): ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = EXIT_INVALID;
  },
);
