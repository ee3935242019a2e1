import type { ScanState } from '../../store/scan-store';
import type { PlainError } from '../../../workers/plain-error';
import { formatBytes } from '../../../core/report/format-units';
import { useState } from 'react';
import { visibleName } from '../../../core/report/display-name';
import {
  COLLAPSE_FILES_FROM,
  COLLAPSED_ERROR_CARDS,
  countFiles,
  summaryLine,
} from './file-summary';

interface Props {
  readonly state: ScanState;
}

function ErrorCard({ error, file }: { readonly error: PlainError; readonly file: string }) {
  return (
    <li
      className="card error-card"
      data-testid="file-error"
      data-file={file}
      data-code={error.code}
    >
      <strong className="file-name">{visibleName(file)}</strong>
      <span className="error-code">{error.code}</span>
      <p className="error-detail">
        {error.tensor !== null && (
          <>
            Tensor <code>{visibleName(error.tensor)}</code>:{' '}
          </>
        )}
        {error.detail}
      </p>
    </li>
  );
}

/**
 * Per-file progress, the cards of files that failed (the others keep going) and ignored files.
 * Many files collapse into one summary line that expands; failed files stay listed under it.
 */
export function FileList({ state }: Props) {
  const [expanded, setExpanded] = useState(false);
  const otherErrors = [...state.indexErrors, ...state.configErrors, ...state.tensorErrors];
  const collapsible = state.files.length >= COLLAPSE_FILES_FROM;
  const collapsed = collapsible && !expanded;
  const counts = countFiles(state.files);
  const failedFiles = state.files.filter((f) => f.error !== null);
  const listed = collapsed ? failedFiles.slice(0, COLLAPSED_ERROR_CARDS) : state.files;
  const hiddenErrors = collapsed ? failedFiles.length - listed.length : 0;
  return (
    <section className="file-list" aria-label="Files">
      {collapsible && (
        <p className="file-summary" data-testid="file-summary" data-files={counts.files}>
          <span className={counts.invalid > 0 ? 'file-summary-text bad' : 'file-summary-text'}>
            {summaryLine(counts)}
          </span>
          <button
            type="button"
            className="link"
            data-testid="file-summary-toggle"
            aria-expanded={expanded}
            onClick={() => setExpanded(!expanded)}
          >
            {expanded
              ? 'Hide the file cards'
              : `Show all ${counts.files.toLocaleString('en-US')} files`}
          </button>
          {hiddenErrors > 0 && (
            <span className="file-meta">
              {' '}
              ({hiddenErrors} more invalid files listed when shown)
            </span>
          )}
        </p>
      )}
      <ul>
        {listed.map((f) =>
          f.error !== null ? (
            <ErrorCard key={f.id} error={f.error} file={f.name} />
          ) : (
            <li key={f.id} className="card file-card" data-testid="file-card" data-file={f.name}>
              <span className="file-name">{visibleName(f.name)}</span>
              <span className="file-meta">
                {formatBytes(f.size)} · {f.header?.tensors.length ?? 0} tensors
              </span>
              <progress
                max={Math.max(1, f.bytesTotal)}
                value={f.bytesDone}
                aria-label={`${f.name} scanned`}
              />
              <span className="file-meta">
                {f.bytesTotal > 0 ? `${((100 * f.bytesDone) / f.bytesTotal).toFixed(0)}%` : '100%'}
              </span>
            </li>
          ),
        )}
        {otherErrors.map((e, i) => (
          <ErrorCard key={`e${i}`} error={e} file={e.file} />
        ))}
      </ul>
      {state.indexWarnings.length > 0 && (
        <ul className="warnings">
          {state.indexWarnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {state.ignored.length > 0 && (
        <p className="ignored" data-testid="ignored-files">
          Ignored (not a checkpoint file): {state.ignored.map(visibleName).join(', ')}
        </p>
      )}
    </section>
  );
}
