import { lazy, Suspense, useMemo, useState } from 'react';
import { CompareDrop } from './CompareDrop';
import type { Side } from './CompareDrop';
import { CompareHeatmap } from './CompareHeatmap';
import { CompareList } from './CompareList';
import { useCompare } from './use-compare';
import './compare.css';

/** The detail carries the charting library: loaded on first use. */
const CompareDetail = lazy(() =>
  import('./CompareDetail').then((m) => ({ default: m.CompareDetail })),
);

/**
 * Compare mode (issue 15): the original on the left, the export on the right; the worker compares
 * them pair by pair (a quantized module against its float weight) and the heatmap fills in as pairs
 * arrive, coloured by SQNR; the worst pairs are listed first; a pair opens its histograms.
 */
export function CompareMode({ onClose }: { readonly onClose: () => void }) {
  const [a, setA] = useState<Side | null>(null);
  const [b, setB] = useState<Side | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const { state, run, cancel, histograms } = useCompare();
  const running = state.phase === 'running';
  const pair = useMemo(
    () => (selected === null ? null : (state.pairs.find((p) => p.name === selected) ?? null)),
    [selected, state.pairs],
  );
  const report = state.report;
  const pct = state.total > 0 ? Math.min(100, (100 * state.done) / state.total) : 0;
  return (
    <section
      className="panel compare-mode"
      data-testid="compare-mode"
      aria-label="Compare two checkpoints"
    >
      <header className="compare-head">
        <h2>Compare two checkpoints</h2>
        <button type="button" onClick={onClose}>
          Close compare mode
        </button>
      </header>
      <p className="muted">
        A is the reference (the original), B the export. Quantized modules (NVFP4, MXFP4, FP8, AWQ,
        GPTQ…) are dequantized and compared with the float weight of the same module. Files are read
        in this tab only.
      </p>
      <div className="compare-drops">
        <CompareDrop testId="compare-drop-a" title="A: original" side={a} onSide={setA} />
        <CompareDrop testId="compare-drop-b" title="B: export" side={b} onSide={setB} />
      </div>
      <div className="compare-actions">
        <button
          type="button"
          className="primary"
          data-testid="compare-run"
          disabled={a === null || b === null || running}
          onClick={() => {
            if (a !== null && b !== null) {
              setSelected(null);
              run({ label: a.label, files: a.files }, { label: b.label, files: b.files });
            }
          }}
        >
          Compare
        </button>
        {running && (
          <>
            <progress
              data-testid="compare-progress"
              max={100}
              value={pct}
              aria-label="Comparison progress"
            />
            <span>{pct.toFixed(0)} %</span>
            <button type="button" data-testid="compare-cancel" onClick={cancel}>
              Cancel
            </button>
          </>
        )}
        <span role="status" data-testid="compare-status">
          {state.phase === 'done' && report !== null
            ? `Compared ${report.pairs.length} pairs: ${report.pairs.filter((p) => p.identical === true).length} identical; ${report.onlyA.length} only in A, ${report.onlyB.length} only in B.`
            : state.phase === 'cancelled'
              ? 'Cancelled: the results so far are incomplete.'
              : state.phase === 'error'
                ? `Failed: ${state.error ?? ''}`
                : ''}
        </span>
      </div>
      {report !== null && (report.findings.length > 0 || report.errors.length > 0) && (
        <ul className="compare-findings" data-testid="compare-findings">
          {report.errors.map((e, i) => (
            <li key={`e${i}`} className="bad">
              {e.message}
            </li>
          ))}
          {report.findings.map((f, i) => (
            <li key={`f${i}`} className={f.severity === 'error' ? 'bad' : undefined}>
              <strong>{f.rule}</strong> {f.message}
            </li>
          ))}
        </ul>
      )}
      {state.pairs.length > 0 && (
        <div className={`compare-workspace${pair !== null ? ' with-detail' : ''}`}>
          <div>
            <CompareHeatmap pairs={state.pairs} selected={selected} onSelect={setSelected} />
            <CompareList pairs={state.pairs} selected={selected} onSelect={setSelected} />
            {report !== null && (report.onlyA.length > 0 || report.onlyB.length > 0) && (
              <p className="muted">
                Only in A: {report.onlyA.length}; only in B: {report.onlyB.length} (listed in the
                CLI's JSON).
              </p>
            )}
          </div>
          {pair !== null && (
            <Suspense fallback={<p className="loading">Loading the detail view…</p>}>
              <CompareDetail pair={pair} load={histograms} onClose={() => setSelected(null)} />
            </Suspense>
          )}
        </div>
      )}
    </section>
  );
}
