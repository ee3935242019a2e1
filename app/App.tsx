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
import type { LoadMode } from './components/shell/DropZone';
import { addFiles } from './loading/add-files';
import { ScanStatus } from './components/shell/ScanStatus';
import { FileList } from './components/shell/FileList';
import { VerdictBanner } from './components/shell/VerdictBanner';
import { ExportBar } from './components/shell/ExportBar';
import { Heatmap } from './components/heatmap/Heatmap';
import { TensorTable } from './components/table/TensorTable';
import { RepairPanel } from './repair/RepairPanel';
import { FindingsPanel } from './quant/FindingsPanel';
import { ScaleTrendChart } from './quant/ScaleTrendChart';
import { SchemeBadge } from './quant/SchemeBadge';
import { useQuantAnalysis } from './quant/use-quant-analysis';
import { useValueFindings } from './quant/use-value-findings';
import { useFnuzFindings } from './quant/use-fnuz-findings';
import { WorkerClient } from './workers-client/worker-client';
import { attachFindings, faultyScaleFiles } from './quant/findings-by-tensor';
import { useTheme } from './hooks/use-theme';
import { useUrlView } from './hooks/use-url-selection';
import { useLeaveGuard } from './hooks/use-leave-guard';
import { useFocusReturn } from './hooks/use-focus-return';
import { scrollToFindings, VerdictLinks } from './components/shell/VerdictLinks';
import { loadSample } from './loading/load-sample';
import { RemoteOpen } from './remote/RemoteOpen';
import { CompareLauncher } from './compare/CompareLauncher';
import { NetworkStatus } from './remote/NetworkStatus';
import { isRemoteFile } from './remote/remote-files';
import { unreadByChoice, unscannedWording } from './remote/unread-wording';
import type { NamedFile } from '../workers/scan.worker';
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
  const urlView = useUrlView();
  const selection = urlView.view.selection;
  const setSelection = urlView.select;
  const [metric, setMetric] = useState<Metric>('nan');
  const [now, setNow] = useState(() => performance.now());
  const [loadError, setLoadError] = useState<string | null>(null);
  const quantClient = useMemo(() => new WorkerClient(), []);
  useEffect(() => () => quantClient.terminate(), [quantClient]);
  // The analysis' findings with nan-value / inf-value of every tensor scanned (the CLI's list).
  const analysed = useQuantAnalysis(state, quantClient);
  const valued = useValueFindings(state, analysed, quantClient);
  // fnuz-portability recounted over every scanned F8_E4M3 weight once the scan ends (the CLI's).
  const quant = useFnuzFindings(state, valued, quantClient);
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

  /** Bumped when a checkpoint is replaced: the table remounts with its filters cleared. */
  const [replaced, setReplaced] = useState(0);
  const { reset: resetUrl } = urlView;
  const onReplace = useCallback(() => {
    if (store.getSnapshot().phase === 'idle') {
      return; // a first load keeps what the URL asks for
    }
    setMetric('nan');
    resetUrl();
    setReplaced((n) => n + 1);
  }, [store, resetUrl]);
  const onFiles = useCallback(
    (c: Collected, label: string, mode: LoadMode) => {
      setLoadError(null);
      if (mode === 'add') {
        void store.load(addFiles(store.files, c.files), c.ignored, label);
        return;
      }
      onReplace();
      void store.load(c.files, c.ignored, label);
    },
    [store, onReplace],
  );
  const onSample = useCallback(() => {
    setLoadError(null);
    onReplace();
    loadSample().then(
      ({ files, label }) => store.load(files, [], label),
      (e: unknown) => setLoadError(String(e)),
    );
  }, [store, onReplace]);
  /** The network session of the remote checkpoint shown (its status line counts). */
  const [remoteSession, setRemoteSession] = useState<string | null>(null);
  const onRemote = useCallback(
    (files: NamedFile[], label: string, session: string) => {
      setLoadError(null);
      onReplace();
      setRemoteSession(session);
      void store.load(files, [], label);
    },
    [store, onReplace],
  );

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
  const focusReturn = useFocusReturn();
  const onSelectTensor = useCallback(
    (key: string) => {
      const row = rows.find((r) => r.key === key);
      if (row !== undefined) {
        focusReturn.remember(key);
        setSelection({ tensor: row.info.name, file: row.fileName });
      }
    },
    [rows, setSelection, focusReturn],
  );
  const onOpenTensor = useCallback(
    (file: string, tensor: string) => {
      const row = rows.find((r) => r.fileName === file && r.info.name === tensor);
      focusReturn.remember(row?.key ?? null);
      setSelection({ tensor, file });
      // The finding's tensor is brought into view in the table (after it re-renders).
      if (row !== undefined) {
        focusReturn.reveal(row.key);
      }
    },
    [rows, setSelection, focusReturn],
  );
  const closeDetail = useCallback(() => {
    setSelection(null);
    focusReturn.restore();
  }, [setSelection, focusReturn]);
  // Escape closes the detail and gives the focus back to where the detail was opened from.
  useEffect(() => {
    if (selection === null) {
      return undefined;
    }
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        closeDetail();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selection, closeDetail]);

  const loaded = state.phase !== 'idle';
  useLeaveGuard(loaded);
  const findingCount = quantSummary?.findings.length ?? 0;
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
          data-testid="theme-toggle"
          onClick={toggleTheme}
        >
          {theme === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
      </header>
      <main className="main">
        <DropZone compact={loaded} onFiles={onFiles} onSample={onSample} />
        <RemoteOpen onOpen={onRemote} />
        <CompareLauncher />
        {loadError !== null && (
          <p className="load-error" role="alert">
            {loadError}
          </p>
        )}
        <ScanStatus state={state} now={now} onCancel={() => store.cancel()} />
        <NetworkStatus
          session={state.files.some((f) => isRemoteFile(f.file)) ? remoteSession : null}
        />
        {/* Nothing opened (only unsupported files): the status says why; no empty workspace. */}
        {loaded && !(state.phase === 'error' && state.files.length === 0) && (
          <>
            <VerdictBanner
              state={state}
              quant={quantSummary}
              analysing={quant.status === 'running'}
            />
            <VerdictLinks
              findings={findingCount}
              repairable={faultyFiles.size}
              onFindings={scrollToFindings}
            />
            <SchemeBadge quant={quant} />
            <ExportBar state={state} quant={quantSummary} />
            <FileList state={state} />
            <FindingsPanel quant={quant} onOpenTensor={onOpenTensor} />
            <RepairPanel state={state} faultyFiles={faultyFiles} />
            <div className={`workspace${selectedRow !== null ? ' with-detail' : ''}`}>
              <div className="views">
                <div className="panel">
                  <Heatmap
                    rows={rows}
                    metric={metric}
                    onMetricChange={setMetric}
                    onSelectTensor={onSelectTensor}
                    selectedKey={selectedRow?.key ?? null}
                    drill={urlView.view.drill}
                    onDrillChange={urlView.setDrill}
                    unscanned={unscannedWording(unreadByChoice(state.files, scanning))}
                  />
                </div>
                <ScaleTrendChart quant={quantSummary} />
                <div className="panel">
                  <TensorTable
                    key={replaced}
                    rows={state.rows}
                    selectedKey={selectedRow?.key ?? null}
                    onSelectTensor={onSelectTensor}
                  />
                </div>
              </div>
              {selectedRow !== null && (
                <section className="panel detail-panel" aria-label="Tensor detail">
                  <Suspense fallback={<p className="loading">Loading the detail view…</p>}>
                    <TensorDetail row={selectedRow} onClose={closeDetail} />
                    <ModuleDetail
                      row={selectedRow}
                      quant={quantSummary}
                      files={state.files}
                      client={quantClient}
                    />
                  </Suspense>
                </section>
              )}
            </div>
          </>
        )}
      </main>
    </div>
  );
}
