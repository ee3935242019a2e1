import { useCallback, useEffect, useState } from 'react';

/**
 * The selected tensor lives in the URL fragment (`#tensor=<name>&file=<path>`), so a link or a
 * reload keeps the selection once the same files are loaded again. The fragment never reaches a server.
 */
export interface UrlSelection {
  readonly tensor: string;
  readonly file: string | null;
}

function read(): UrlSelection | null {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const tensor = params.get('tensor');
  return tensor === null ? null : { tensor, file: params.get('file') };
}

export function useUrlSelection(): [UrlSelection | null, (s: UrlSelection | null) => void] {
  const [selection, setSelection] = useState<UrlSelection | null>(read);
  useEffect(() => {
    const onHash = (): void => setSelection(read());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const update = useCallback((s: UrlSelection | null) => {
    const params = new URLSearchParams();
    if (s !== null) {
      params.set('tensor', s.tensor);
      if (s.file !== null) {
        params.set('file', s.file);
      }
    }
    const hash = params.toString();
    window.history.replaceState(
      null,
      '',
      hash === '' ? window.location.pathname + window.location.search : `#${hash}`,
    );
    setSelection(s);
  }, []);
  return [selection, update];
}
