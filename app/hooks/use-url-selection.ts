import { useCallback, useEffect, useState } from 'react';

/**
 * What the page shows lives in the URL fragment (`#tensor=<name>&file=<path>&drill=<module>`), so
 * a link or a reload keeps it once the same files are loaded again, and every change is a history
 * entry: Back closes the tensor or leaves the drill-down inside the app instead of leaving it.
 * The fragment never reaches a server.
 */
export interface UrlSelection {
  readonly tensor: string;
  readonly file: string | null;
}

export interface UrlView {
  readonly selection: UrlSelection | null;
  /** The heatmap's expert drill-down (a module), or null. */
  readonly drill: string | null;
}

const EMPTY_VIEW: UrlView = { selection: null, drill: null };

export function readUrlView(hash: string): UrlView {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const tensor = params.get('tensor');
  return {
    selection: tensor === null ? null : { tensor, file: params.get('file') },
    drill: params.get('drill'),
  };
}

export function writeUrlView(view: UrlView): string {
  const params = new URLSearchParams();
  if (view.selection !== null) {
    params.set('tensor', view.selection.tensor);
    if (view.selection.file !== null) {
      params.set('file', view.selection.file);
    }
  }
  if (view.drill !== null) {
    params.set('drill', view.drill);
  }
  const hash = params.toString();
  return hash === '' ? '' : `#${hash}`;
}

function sameView(a: UrlView, b: UrlView): boolean {
  return (
    a.drill === b.drill &&
    a.selection?.tensor === b.selection?.tensor &&
    a.selection?.file === b.selection?.file
  );
}

export interface UrlViewControls {
  readonly view: UrlView;
  /** Opens or closes a tensor: a new history entry. */
  select(selection: UrlSelection | null): void;
  /** Opens or leaves the drill-down: a new history entry. */
  setDrill(drill: string | null): void;
  /** Clears everything without a history entry (a replaced checkpoint). */
  reset(): void;
}

export function useUrlView(): UrlViewControls {
  const [view, setView] = useState<UrlView>(() => readUrlView(window.location.hash));
  useEffect(() => {
    const onNavigate = (): void => {
      const next = readUrlView(window.location.hash);
      setView((prev) => (sameView(prev, next) ? prev : next));
    };
    window.addEventListener('popstate', onNavigate);
    window.addEventListener('hashchange', onNavigate);
    return () => {
      window.removeEventListener('popstate', onNavigate);
      window.removeEventListener('hashchange', onNavigate);
    };
  }, []);
  const go = useCallback((next: UrlView, mode: 'push' | 'replace') => {
    const current = readUrlView(window.location.hash);
    if (sameView(current, next)) {
      setView((prev) => (sameView(prev, next) ? prev : next));
      return;
    }
    const hash = writeUrlView(next);
    const url = hash === '' ? window.location.pathname + window.location.search : hash;
    if (mode === 'push') {
      window.history.pushState(null, '', url);
    } else {
      window.history.replaceState(null, '', url);
    }
    setView(next);
  }, []);
  const select = useCallback(
    (selection: UrlSelection | null) => {
      go({ ...readUrlView(window.location.hash), selection }, 'push');
    },
    [go],
  );
  const setDrill = useCallback(
    (drill: string | null) => {
      go({ ...readUrlView(window.location.hash), drill }, 'push');
    },
    [go],
  );
  const reset = useCallback(() => go(EMPTY_VIEW, 'replace'), [go]);
  return { view, select, setDrill, reset };
}

/** The selection part alone (kept for callers written before the drill-down joined the URL). */
export function useUrlSelection(): [UrlSelection | null, (s: UrlSelection | null) => void] {
  const { view, select } = useUrlView();
  return [view.selection, select];
}
