/** Starts a plain browser download of a Blob under the given name. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: the download reads from the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

interface WritableLike {
  write(data: Blob): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}
interface FileHandleLike {
  createWritable(): Promise<WritableLike>;
}
interface DirectoryHandleLike {
  getFileHandle(name: string, options: { create: boolean }): Promise<FileHandleLike>;
}
type DirectoryPicker = (options: { mode: 'readwrite' }) => Promise<DirectoryHandleLike>;

/** The File System Access API's folder picker, where the browser has it (Chromium on desktop). */
export function directoryPicker(): DirectoryPicker | null {
  const picker = (window as unknown as { showDirectoryPicker?: DirectoryPicker })
    .showDirectoryPicker;
  return typeof picker === 'function' ? picker.bind(window) : null;
}

/**
 * Writes repaired shards into a folder the user picks. `createWritable` writes to a swap file and
 * commits only on close(), so an interrupted save never leaves a half-written shard. The picker
 * opens first (it needs the click's user activation); each shard is composed when its turn comes.
 */
export async function saveToFolder(
  files: readonly { name: string; blob: () => Promise<Blob> }[],
): Promise<number> {
  const picker = directoryPicker();
  if (picker === null) {
    throw new Error('this browser cannot save into a folder; use the download buttons');
  }
  const dir = await picker({ mode: 'readwrite' });
  for (const f of files) {
    const blob = await f.blob();
    const handle = await dir.getFileHandle(f.name, { create: true });
    const writable = await handle.createWritable();
    try {
      await writable.write(blob);
      await writable.close();
    } catch (e) {
      await writable.abort();
      throw e;
    }
  }
  return files.length;
}
