import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';
import { ScanStore } from './store/scan-store';
import { DropZone } from './components/shell/DropZone';
import { ScanStatus } from './components/shell/ScanStatus';
import { FileList } from './components/shell/FileList';
import { VerdictBanner } from './components/shell/VerdictBanner';
import { ExportBar } from './components/shell/ExportBar';
import { Heatmap } from './components/heatmap/Heatmap';
import { TensorTable } from './components/table/TensorTable';
import { RepairPanel } from './repair/RepairPanel';
import { FindingsPanel } from './quant/FindingsPanel';
import { SchemeBadge } from './quant/SchemeBadge';
import { useQuantAnalysis } from './quant/use-quant-analysis';
import { WorkerClient } from './workers-client/worker-client';
import { attachFindings, faultyScaleFiles } from './quant/findings-by-tensor';
import { useTheme } from './hooks/use-theme';
import { useUrlSelection } from './hooks/use-url-selection';
import { loadSample } from './loading/load-sample';
import type { Collected } from './loading/collect-dropped';
import type { Metric } from './model/tensor-row';

/** The detail view carries the charting library: load it on first use, not with the page. */
const TensorDetail = lazy(() =>
  import('./components/detail/TensorDetail').then((m) => ({ default: m.TensorDetail })),
);

const ModuleDetail = lazy(() =>
  import('./quant/ModuleDetail').then((m) => ({ default: m.ModuleDetail })),
);

/** After the page has loaded, the scan workers start this soon (the first paint comes first). */
const WARM_UP_AT_LOAD_MS = 300;

/** While scanning, the status line's rate and time left are refreshed this often. */
const CLOCK_TICK_MS = 500;

export function App() {
  const store = useMemo(() => new ScanStore(), []);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [theme, toggleTheme] = useTheme();
  const [selection, setSelection] = useUrlSelection();
  const [metric, setMetric] = useState<Metric>('nan');
  const [now, setNow] = useState(() => performance.now());
  const [loadError, setLoadError] = useState<string | null>(null);
  const quantClient = useMemo(() => new WorkerClient(), []);
  useEffect(() => () => quantClient.terminate(), [quantClient]);
  const quant = useQuantAnalysis(state, quantClient);
  const quantSummary = quant.status === 'ready' ? quant.summary : null;
  const rows = useMemo(() => attachFindings(state.rows, quantSummary), [state.rows, quantSummary]);
  const faultyFiles = useMemo(() => faultyScaleFiles(quantSummary), [quantSummary]);

  useEffect(() => {
    store.warmUp(WARM_UP_AT_LOAD_MS);
    return () => store.dispose();
  }, [store]);
  const scanning = state.phase === 'scanning' || state.phase === 'opening';
  useEffect(() => {
    if (!scanning) {
      return undefined;
    }
    const id = setInterval(() => setNow(performance.now()), CLOCK_TICK_MS);
    return () => clearInterval(id);
  }, [scanning]);

  const onFiles = useCallback(
    (c: Collected, label: string) => {
      setLoadError(null);
      void store.load(c.files, c.ignored, label);
    },
    [store],
  );
  const onSample = useCallback(() => {
    setLoadError(null);
    loadSample().then(
      ({ files, label }) => store.load(files, [], label),
      (e: unknown) => setLoadError(String(e)),
    );
  }, [store]);

  const selectedRow = useMemo(() => {
    if (selection === null) {
      return null;
    }
    return (
      state.rows.find(
        (r) =>
          r.info.name === selection.tensor &&
          (selection.file === null || r.fileName === selection.file),
      ) ?? null
    );
  }, [selection, state.rows]);
  const onSelectTensor = useCallback(
    (key: string) => {
      const row = rows.find((r) => r.key === key);
      if (row !== undefined) {
        setSelection({ tensor: row.info.name, file: row.fileName });
      }
    },
    [rows, setSelection],
  );
  const onOpenTensor = useCallback(
    (file: string, tensor: string) => setSelection({ tensor, file }),
    [setSelection],
  );

  const loaded = state.phase !== 'idle';
  return (
    <div className="app">
      <header className="topbar">
        <h1>
          ckptscope{' '}
          <span className="tagline">checkpoint inspector · files never leave this machine</span>
        </h1>
        <button
          type="button"
          className="theme-toggle"
          onClick={toggleTheme}
          aria-label="Toggle light or dark theme"
        >
          {theme === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
      </header>
      <DropZone compact={loaded} onFiles={onFiles} onSample={onSample} />
      {loadError !== null && (
        <p className="load-error" role="alert">
          {loadError}
        </p>
      )}
      <ScanStatus state={state} now={now} onCancel={() => store.cancel()} />
      {loaded && (
        <>
          <VerdictBanner state={state} quant={quantSummary} />
          <SchemeBadge quant={quant} />
          <ExportBar state={state} quant={quantSummary} />
          <FileList state={state} />
          <main className={`workspace${selectedRow !== null ? ' with-detail' : ''}`}>
            <div className="views">
              <section className="panel" aria-label="Per-layer heatmap">
                <Heatmap
                  rows={rows}
                  metric={metric}
                  onMetricChange={setMetric}
                  onSelectTensor={onSelectTensor}
                  selectedKey={selectedRow?.key ?? null}
                />
              </section>
              <section className="panel" aria-label="Tensors">
                <TensorTable
                  rows={state.rows}
                  selectedKey={selectedRow?.key ?? null}
                  onSelectTensor={onSelectTensor}
                />
              </section>
            </div>
            {selectedRow !== null && (
              <aside className="panel detail-panel" aria-label="Tensor detail">
                <Suspense fallback={<p className="loading">Loading the detail view…</p>}>
                  <TensorDetail row={selectedRow} onClose={() => setSelection(null)} />
                  <ModuleDetail
                    row={selectedRow}
                    quant={quantSummary}
                    files={state.files}
                    client={quantClient}
                  />
                </Suspense>
              </aside>
            )}
          </main>
          <FindingsPanel quant={quant} onOpenTensor={onOpenTensor} />
          <RepairPanel state={state} faultyFiles={faultyFiles} />
        </>
      )}
    </div>
  );
}
