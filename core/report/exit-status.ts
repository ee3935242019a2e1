/**
 * The exit status of `scan` (README, "Exit status"): one rule for the CLI's status, its one-line
 * verdict and the page's verdict level. 0: every file valid and nothing wrong; 1: NaN/Inf or any
 * error-severity finding (a checkpoint that serves garbage fails CI); 2: invalid input or usage.
 */
export const EXIT_CLEAN = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;

export type ScanExitStatus = typeof EXIT_CLEAN | typeof EXIT_FAILED | typeof EXIT_INVALID;

/**
 * Whether a finding fails the checkpoint: every error-severity finding, NaN/Inf (`nan-scale`,
 * `nan-value`…) or not (`zero-point-format`, `non-pow2-scale`, `bad-global-scale`,
 * `scale-shape`…). Warnings and infos never do.
 */
export function failsCheckpoint(finding: { readonly severity: string }): boolean {
  return finding.severity === 'error';
}

/** What the exit status is decided from. */
export interface ExitInput {
  /** A file is invalid or unreadable, an index/config error, or a usage problem. */
  readonly invalid: boolean;
  /** A NaN or ±Inf value was found (in any tensor, decoded by its role). */
  readonly badValues: boolean;
  readonly findings: readonly { readonly severity: string }[];
}

/** 2 for invalid input, else 1 for NaN/Inf or an error finding, else 0. */
export function scanExitStatus(input: ExitInput): ScanExitStatus {
  if (input.invalid) {
    return EXIT_INVALID;
  }
  return input.badValues || input.findings.some(failsCheckpoint) ? EXIT_FAILED : EXIT_CLEAN;
}
