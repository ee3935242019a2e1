import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { NamedFile } from '../../workers/scan.worker';
import { newSession, openRemote, openViewFiles, viewToken } from './remote-files';
import './remote.css';

interface Props {
  /** Loads the files as a drop would (replacing the checkpoint). */
  readonly onOpen: (files: NamedFile[], label: string, session: string) => void;
}

/**
 * "Open from Hugging Face": a model id or URL, an optional token (kept in this component's
 * memory only: never in storage, the URL or an export), and whether to read every tensor. Also
 * opens the files of `ckptscope view` when the page was started by it (`?view=TOKEN`).
 */
export function RemoteOpen({ onOpen }: Props) {
  const [input, setInput] = useState('');
  const [token, setToken] = useState('');
  const [full, setFull] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The last remote checkpoint opened without its bulk tensors: offered in full afterwards. */
  const [partial, setPartial] = useState(false);
  const viewed = useRef(false);

  useEffect(() => {
    const token = viewToken(window.location.search);
    if (token === null || viewed.current) {
      return;
    }
    viewed.current = true;
    const session = newSession();
    openViewFiles(token, session).then(
      (r) => (r.ok ? onOpen(r.files, r.label, session) : setError(r.message)),
      (e: unknown) => setError(String(e)),
    );
  }, [onOpen]);

  const open = (readAll: boolean): void => {
    if (input.trim() === '' || busy) {
      return;
    }
    setBusy(true);
    setError(null);
    const session = newSession();
    openRemote(input, token.trim() === '' ? null : token.trim(), readAll, session)
      .then(
        (r) => {
          if (r.ok) {
            setPartial(!readAll);
            onOpen(r.files, r.label, session);
          } else {
            setError(r.message);
          }
        },
        (e: unknown) => setError(String(e)),
      )
      .finally(() => setBusy(false));
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    open(full);
  };

  return (
    <form className="remote-open" onSubmit={submit} aria-label="Open from Hugging Face">
      <label className="remote-field">
        <span>Open from Hugging Face</span>
        <input
          data-testid="hf-input"
          type="text"
          value={input}
          placeholder="org/model, hf://org/model@rev/path or a huggingface.co URL"
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setInput(e.target.value)}
        />
      </label>
      <label className="remote-field remote-token">
        <span>Token (gated repos; kept in memory only)</span>
        <input
          data-testid="hf-token"
          type="password"
          value={token}
          autoComplete="off"
          onChange={(e) => setToken(e.target.value)}
        />
      </label>
      <label className="remote-full">
        <input
          type="checkbox"
          data-testid="hf-full"
          checked={full}
          onChange={(e) => setFull(e.target.checked)}
        />
        Read every tensor (default: headers, scales and small tensors)
      </label>
      <button type="submit" data-testid="hf-open" disabled={busy || input.trim() === ''}>
        {busy ? 'Listing…' : 'Open'}
      </button>
      {partial && (
        <button
          type="button"
          data-testid="hf-read-all"
          disabled={busy}
          onClick={() => open(true)}
          title="Stream every tensor of this checkpoint (the CLI's --full)"
        >
          Read every tensor
        </button>
      )}
      {error !== null && (
        <p className="remote-error" role="alert" data-testid="hf-error">
          {error}
        </p>
      )}
    </form>
  );
}
