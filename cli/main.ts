import { writeJsonToStdout } from './json-output';
import { parseArgs } from 'node:util';
import { runRepair } from './repair-command';
import { runView } from './view-command';
import { runDiff } from './diff-command';
import { exitStatusOf, EXIT_INVALID } from './scan-command';
import { formatTextReport } from './text-report';
import { terminalSafe } from './terminal-text';
import { runVerdict } from './scan-verdict';
import type { Verdict } from '../core/report/verdict';
import {
  formatRemoteSummary,
  remoteExitStatus,
  runScanWithRemote,
  tensorsToRead,
} from './remote-run';

/** Replaced at build time by scripts/build-cli.mjs with package.json's version. */
declare const CKPTSCOPE_VERSION: string;
const VERSION = typeof CKPTSCOPE_VERSION === 'string' ? CKPTSCOPE_VERSION : '0.0.0-dev';

const USAGE = `ckptscope ${VERSION}: inspect safetensors checkpoints for NaN/Inf and broken scales

Usage:
  ckptscope scan PATH... [--json] [--histograms] [--chunk-bytes N] [--threads N] [--no-progress]
                         [--full] [--token TOKEN]
  ckptscope repair IN -o OUT [--policy NAME] [--manifest FILE] [--sha256] [--dry-run] [--json]
                   [--force]
  ckptscope view PATH... [--no-open] [--port N]   (opens the files in the app; see --help)
  ckptscope diff A B [--json] [--min-sqnr DB] [--threads N]   (see \`ckptscope diff --help\`)

PATH is a .safetensors file, a model.safetensors.index.json, or a checkpoint folder; or remote:
hf://ORG/NAME[@REVISION][/PATH], a Hugging Face URL (ORG/NAME, /tree/, /blob/, /resolve/), or
any http(s) URL of a .safetensors file serving byte ranges. Remote files are read with Range
requests (headers, scales and small tensors unless --full); HF_ENDPOINT sets the Hub endpoint.
repair writes a copy of IN with its NaN FP8 scale bytes replaced; see \`ckptscope repair --help\`.

Options of scan:
  --json           print one JSON document on stdout instead of the readable report
  --histograms     with --json, include each tensor's histogram
  --chunk-bytes N  read tensors in chunks of N bytes (default 8 MiB)
  --threads N      scan with N worker threads (default: one per core, at most 4;
                   1 scans on the main thread); results do not depend on N
  --no-progress    no progress bar on stderr
  --full           remote inputs: read every tensor (default: headers, scales, small tensors)
  --token TOKEN    remote inputs: Hub token (default HF_TOKEN), sent only to the endpoint's host
  -h, --help       this text
  -v, --version    the version

Exit status of scan: 0 every file valid and clean, 1 NaN or Inf or an error finding, 2 invalid
file or usage. Of repair: 0 written and verified (or nothing to patch), 2 invalid input or usage.
Nothing is uploaded anywhere: local paths make no request; remote inputs only download (from
the endpoint and the hosts it redirects to).
`;

/** Upper bound of `--threads`: beyond it threads only queue for libuv's I/O pool. */
const MAX_THREADS = 64;

function usageError(message: string): number {
  process.stderr.write(`ckptscope: ${message}\n\n${USAGE}`);
  return EXIT_INVALID;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? EXIT_INVALID : 0;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === 'repair') {
    return runRepair(rest, VERSION);
  }
  if (command === 'view') {
    return runView(rest);
  }
  if (command === 'diff') {
    return runDiff(rest);
  }
  if (command !== 'scan') {
    return usageError(`unknown command ${JSON.stringify(command)}`);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        histograms: { type: 'boolean', default: false },
        'chunk-bytes': { type: 'string' },
        threads: { type: 'string' },
        'no-progress': { type: 'boolean', default: false },
        full: { type: 'boolean', default: false },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    return usageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length === 0) {
    return usageError('scan needs at least one PATH');
  }
  let chunkBytes: number | undefined;
  if (values['chunk-bytes'] !== undefined) {
    chunkBytes = Number(values['chunk-bytes']);
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
      return usageError(
        `--chunk-bytes takes a positive whole number of bytes, not ${values['chunk-bytes']}`,
      );
    }
  }
  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = Number(values.threads);
    if (!Number.isSafeInteger(threads) || threads < 1 || threads > MAX_THREADS) {
      return usageError(
        `--threads takes a whole number from 1 to ${MAX_THREADS}, not ${values.threads}`,
      );
    }
  }
  const run = await runScanWithRemote(
    positionals,
    {
      chunkBytes,
      threads,
      histograms: values.json && values.histograms,
      showProgress: !values.json && !values['no-progress'],
    },
    { full: values.full, token: values.token },
  );
  for (const problem of run.usageProblems) {
    process.stderr.write(`ckptscope: ${terminalSafe(problem)}\n`);
  }
  /** A local run's verdict, printed and deciding the exit status (a remote one has its own rule). */
  let verdict: Verdict | undefined;
  if (values.json) {
    writeJsonToStdout(
      run.files,
      run.errors,
      {
        version: VERSION,
        histograms: values.histograms,
        findings: run.findings,
        // A default remote scan leaves the bulk tensors unread: the report says it is partial.
        complete: run.notScanned === 0,
      },
      { network: run.network },
    );
  } else {
    process.stdout.write(
      formatTextReport(run.files, run.errors, run.elapsedSeconds, run.findings, run.warnings),
    );
    // One verdict for local and remote runs: a default remote scan's unread tensors by choice.
    verdict = runVerdict(run, tensorsToRead(run, values.full));
    process.stdout.write(`Verdict: ${terminalSafe(verdict.text)}\n`);
    process.stdout.write(formatRemoteSummary(run));
  }
  return run.remote ? remoteExitStatus(run) : exitStatusOf(run, verdict);
}
