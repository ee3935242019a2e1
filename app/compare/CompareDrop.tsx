import { useRef, useState } from 'react';
import type { DragEvent } from 'react';
import { FILE_INPUT_ACCEPT } from '../loading/accept-file';
import { collectDropped, collectFileList } from '../loading/collect-dropped';
import type { Collected } from '../loading/collect-dropped';
import { newSession, openRemote } from '../remote/remote-files';

export interface Side {
  readonly label: string;
  readonly files: Collected['files'];
}

function labelOf(c: Collected): string {
  const first = c.files[0]?.name ?? '';
  const shards = c.files.filter((f) => f.name.endsWith('.safetensors')).length;
  const root = first.includes('/') ? first.split('/')[0] : null;
  return `${root === null ? `${c.files.length} file(s)` : `${root}/`} · ${shards} shard${shards === 1 ? '' : 's'}`;
}

/** One side of the comparison: a drop target with file and folder pickers. Nothing is uploaded. */
export function CompareDrop({
  testId,
  title,
  side,
  onSide,
}: {
  readonly testId: string;
  readonly title: string;
  readonly side: Side | null;
  readonly onSide: (side: Side) => void;
}) {
  const [over, setOver] = useState(false);
  const [remote, setRemote] = useState('');
  const [remoteError, setRemoteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** A public Hub repo or URL, read in full (a diff needs every weight) over HTTP Range. */
  const openRemoteSide = (): void => {
    if (remote.trim() === '' || busy) {
      return;
    }
    setBusy(true);
    setRemoteError(null);
    openRemote(remote, null, true, newSession())
      .then(
        (r) => (r.ok ? onSide({ label: r.label, files: r.files }) : setRemoteError(r.message)),
        (e: unknown) => setRemoteError(String(e)),
      )
      .finally(() => setBusy(false));
  };
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const take = (c: Collected): void => {
    if (c.files.length > 0) {
      onSide({ label: labelOf(c), files: c.files });
    }
  };
  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    void collectDropped(e.dataTransfer.items, e.dataTransfer.files).then(take);
  };
  return (
    <div
      className={`compare-drop${over ? ' over' : ''}`}
      data-testid={testId}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="compare-drop-title">{title}</p>
      <p className="compare-drop-state">
        {side === null ? 'Drop a checkpoint folder or files here' : side.label}
      </p>
      <div className="drop-actions">
        <button type="button" onClick={() => files.current?.click()}>
          Choose files…
        </button>
        <button type="button" onClick={() => folder.current?.click()}>
          Choose folder…
        </button>
      </div>
      <form
        className="compare-remote"
        onSubmit={(e) => {
          e.preventDefault();
          openRemoteSide();
        }}
      >
        <input
          type="text"
          value={remote}
          placeholder="or org/model, hf://org/model@rev, a URL"
          aria-label={`${title}: a remote checkpoint`}
          onChange={(e) => setRemote(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy || remote.trim() === ''}>
          Open remote
        </button>
      </form>
      {remoteError !== null && (
        <p className="bad" role="alert">
          {remoteError}
        </p>
      )}
      <input
        ref={files}
        className="visually-hidden"
        type="file"
        multiple
        accept={FILE_INPUT_ACCEPT}
        data-testid={`${testId}-files`}
        aria-label={`${title}: choose files`}
        onChange={(e) => {
          const c = collectFileList(e.currentTarget.files);
          e.currentTarget.value = '';
          take(c);
        }}
      />
      <input
        ref={folder}
        className="visually-hidden"
        type="file"
        aria-label={`${title}: choose a folder`}
        {...{ webkitdirectory: '' }}
        onChange={(e) => {
          const c = collectFileList(e.currentTarget.files);
          e.currentTarget.value = '';
          take(c);
        }}
      />
    </div>
  );
}
