import { useState } from 'react';
import { formatMarkdownReport } from '../../../core/report/markdown-report';
import { reportFromState } from '../../model/report-from-state';
import type { ScanState } from '../../store/scan-store';
import type { QuantSummary } from '../../../workers/quant-summary';
import { verdictOf } from '../../model/verdict-of';

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Give the download a moment to start before the URL is revoked.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "Copy findings as Markdown" for a bug report, and "Export JSON" in the CLI's `--json` schema. */
export function ExportBar({
  state,
  quant,
}: {
  readonly state: ScanState;
  readonly quant: QuantSummary | null;
}) {
  const [copied, setCopied] = useState<string | null>(null);
  if (state.files.length === 0) {
    // Nothing was opened (unsupported files only): there is no report to export.
    return null;
  }
  const markdown = (): string => {
    const verdict = verdictOf(state, quant);
    return formatMarkdownReport(reportFromState(state, quant), verdict.text);
  };
  return (
    <div className="export-bar">
      <button
        type="button"
        data-testid="copy-markdown"
        onClick={() => {
          const text = markdown();
          navigator.clipboard.writeText(text).then(
            () => setCopied('Copied findings as Markdown'),
            () => {
              download('ckptscope-findings.md', new Blob([text], { type: 'text/markdown' }));
              setCopied('Clipboard unavailable: downloaded ckptscope-findings.md');
            },
          );
        }}
      >
        Copy findings as Markdown
      </button>
      <button
        type="button"
        data-testid="export-json"
        onClick={() =>
          download(
            'ckptscope-report.json',
            new Blob([`${JSON.stringify(reportFromState(state, quant), null, 2)}\n`], {
              type: 'application/json',
            }),
          )
        }
      >
        Export JSON
      </button>
      {copied !== null && (
        <span className="export-note" role="status">
          {copied}
        </span>
      )}
    </div>
  );
}
