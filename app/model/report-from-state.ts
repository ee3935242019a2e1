import { buildJsonReport } from '../../core/report/json-report';
import type { FileResult, JsonReport } from '../../core/report/json-report';
import type { TensorStats } from '../../core/scan/tensor-stats';
import type { ScanState } from '../store/scan-store';
import type { QuantSummary } from '../../workers/quant-summary';

/** Replaced at build time by vite.config.ts with package.json's version (as the CLI bundle does). */
declare const CKPTSCOPE_VERSION: string;
/** Version shown in exports; unit tests (no Vite define) see the dev marker. */
export const APP_VERSION = typeof CKPTSCOPE_VERSION === 'string' ? CKPTSCOPE_VERSION : '0.0.0-dev';

/** The app's "Export JSON": the same document as `ckptscope scan --json`. */
export function reportFromState(state: ScanState, quant: QuantSummary | null = null): JsonReport {
  const schemes = new Map((quant?.files ?? []).map((f) => [f.file, f]));
  const statsByFile = new Map<number, Map<string, TensorStats>>();
  for (const row of state.rows) {
    if (row.stats !== null) {
      let m = statsByFile.get(row.fileId);
      if (m === undefined) {
        m = new Map();
        statsByFile.set(row.fileId, m);
      }
      m.set(row.info.name, row.stats);
    }
  }
  const files: FileResult[] = state.files.map((f) => ({
    path: f.name,
    size: f.size,
    header: f.header,
    stats: statsByFile.get(f.id) ?? new Map(),
    quant: schemes.get(f.name),
  }));
  const errors = [
    ...state.files.flatMap((f) => (f.error === null ? [] : [f.error])),
    ...state.indexErrors,
    ...state.configErrors,
    ...state.tensorErrors,
  ];
  return buildJsonReport(files, errors, {
    version: APP_VERSION,
    findings: quant?.findings ?? [],
    // Exported mid-scan (or after a cancel): marked partial in the document.
    complete: state.phase === 'done' || state.phase === 'error',
  });
}
