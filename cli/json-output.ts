import type { FileResult, JsonReportOptions, ReportableError } from '../core/report/json-report';
import { writeJsonReport } from '../core/report/json-report-stream';

/**
 * Writes the `--json` document to stdout as it is built (see `writeJsonReport`): a million-tensor
 * report no longer exists as one object and one string in memory before the first byte goes out.
 * Pipes and files are written synchronously by Node on Linux, so the pieces do not pile up either.
 */
export function writeJsonToStdout(
  files: readonly FileResult[],
  errors: readonly ReportableError[],
  options: JsonReportOptions,
  extra: Readonly<Record<string, unknown>>,
): void {
  writeJsonReport((text) => process.stdout.write(text), files, errors, options, extra);
  process.stdout.write('\n');
}
