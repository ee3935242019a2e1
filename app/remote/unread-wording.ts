import { isFullRemote, isRemoteFile } from './remote-files';

/** What a cell or tensor left unread is called while a scan may still read it. */
export const PENDING_WORDING = 'not scanned yet';
/**
 * What it is called once a default remote scan is over: left unread by choice (headers, scales
 * and small tensors only, like the CLI without --full), never "clean" and never "failed".
 */
export const REMOTE_UNREAD_WORDING = 'not read (remote default)';

/**
 * Whether the unscanned tensors of the files shown are unread by choice: the scan is over and a
 * file was opened remotely in the default mode (a local or `--full` file reads every tensor).
 */
export function unreadByChoice(
  files: readonly { readonly file: Blob | null }[],
  scanning: boolean,
): boolean {
  return (
    !scanning && files.some((f) => f.file !== null && isRemoteFile(f.file) && !isFullRemote(f.file))
  );
}

/** The wording for unscanned cells: see PENDING_WORDING and REMOTE_UNREAD_WORDING. */
export function unscannedWording(byChoice: boolean): string {
  return byChoice ? REMOTE_UNREAD_WORDING : PENDING_WORDING;
}
