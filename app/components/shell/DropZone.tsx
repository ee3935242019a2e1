import { useRef, useState } from 'react';
import type { DragEvent } from 'react';
import { collectDropped, collectFileList } from '../../loading/collect-dropped';
import type { Collected } from '../../loading/collect-dropped';
import { FILE_INPUT_ACCEPT } from '../../loading/accept-file';
import { describeUnsupported } from '../../loading/unsupported-files';

/** What to do with files loaded while a checkpoint is open. */
export type LoadMode = 'add' | 'replace';

interface Props {
  /** A checkpoint is loaded: new files ask whether to add to it or replace it. */
  readonly compact: boolean;
  readonly onFiles: (collected: Collected, label: string, mode: LoadMode) => void;
  readonly onSample: () => void;
}

function labelFor(c: Collected): string {
  const shards = c.files.filter((f) => f.name.endsWith('.safetensors')).length;
  const root = c.files[0]?.name.includes('/') ? c.files[0].name.split('/')[0] : null;
  return root !== null && root !== undefined
    ? `${root}/ (${shards} shard${shards === 1 ? '' : 's'})`
    : `${c.files.length} file${c.files.length === 1 ? '' : 's'}`;
}

/** Drop target, file picker and folder picker. Files are only ever read locally. */
export function DropZone({ compact, onFiles, onSample }: Props) {
  const [over, setOver] = useState(false);
  /** Files waiting for the add / replace choice. */
  const [pending, setPending] = useState<Collected | null>(null);
  /** Why files dropped onto an open checkpoint were not taken (all unsupported). */
  const [note, setNote] = useState<string | null>(null);
  const take = (c: Collected): void => {
    setNote(null);
    if (compact && c.files.length === 0) {
      // Nothing ckptscope reads: the open checkpoint stays, and the drop is explained.
      setNote(describeUnsupported(c.ignored));
    } else if (compact) {
      setPending(c);
    } else {
      onFiles(c, labelFor(c), 'replace');
    }
  };
  const choose = (mode: LoadMode): void => {
    if (pending !== null) {
      setPending(null);
      onFiles(pending, labelFor(pending), mode);
    }
  };
  const folderInput = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    void collectDropped(e.dataTransfer.items, e.dataTransfer.files).then(take);
  };

  return (
    <div className={`drop-area${compact ? ' compact' : ''}`}>
      {note !== null && (
        <p className="load-error" role="alert" data-testid="load-note">
          {note}
        </p>
      )}
      {pending !== null && (
        <div
          className="load-choice"
          role="group"
          aria-label="Add or replace"
          data-testid="load-choice"
        >
          <p>
            {labelFor(pending)}: add to the current checkpoint (a missing shard, a config), or
            replace it?
          </p>
          <button type="button" data-testid="load-add" onClick={() => choose('add')}>
            Add to current checkpoint
          </button>
          <button type="button" data-testid="load-replace" onClick={() => choose('replace')}>
            Replace checkpoint
          </button>
          <button type="button" onClick={() => setPending(null)}>
            Cancel
          </button>
        </div>
      )}
      <div
        data-testid="drop-zone"
        className={`drop-zone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p className="drop-title">Drop a checkpoint folder, shards, index and configs here</p>
        {!compact && (
          <p className="drop-hint">
            .safetensors shards, model.safetensors.index.json, config.json and hf_quant_config.json.
            Files are read in this tab only: nothing is uploaded.
          </p>
        )}
        <div className="drop-actions">
          <button type="button" onClick={() => fileInput.current?.click()}>
            Choose files…
          </button>
          <button type="button" onClick={() => folderInput.current?.click()}>
            Choose folder…
          </button>
          <button type="button" data-testid="open-sample" className="primary" onClick={onSample}>
            Open sample checkpoint
          </button>
        </div>
        <input
          ref={fileInput}
          className="visually-hidden"
          type="file"
          multiple
          accept={FILE_INPUT_ACCEPT}
          aria-label="Choose checkpoint files"
          onChange={(e) => {
            const c = collectFileList(e.currentTarget.files);
            e.currentTarget.value = '';
            take(c);
          }}
        />
      </div>
      <input
        ref={folderInput}
        className="visually-hidden"
        type="file"
        data-testid="folder-input"
        aria-label="Choose a checkpoint folder"
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
