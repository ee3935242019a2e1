import type { ScanState } from '../../store/scan-store';
import type { PlainError } from '../../../workers/plain-error';
import { formatBytes } from '../../../core/report/format-units';

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
      <strong className="file-name">{file}</strong>
      <span className="error-code">{error.code}</span>
      <p className="error-detail">
        {error.tensor !== null && (
          <>
            Tensor <code>{error.tensor}</code>:{' '}
          </>
        )}
        {error.detail}
      </p>
    </li>
  );
}

/** Per-file progress, the cards of files that failed (the others keep going) and ignored files. */
export function FileList({ state }: Props) {
  const otherErrors = [...state.indexErrors, ...state.configErrors, ...state.tensorErrors];
  return (
    <section className="file-list" aria-label="Files">
      <ul>
        {state.files.map((f) =>
          f.error !== null ? (
            <ErrorCard key={f.id} error={f.error} file={f.name} />
          ) : (
            <li key={f.id} className="card file-card" data-testid="file-card" data-file={f.name}>
              <span className="file-name">{f.name}</span>
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
          Ignored (not a checkpoint file): {state.ignored.join(', ')}
        </p>
      )}
    </section>
  );
}
