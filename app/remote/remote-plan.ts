import type { TensorInfo } from '../../core/format/tensor-info';
import { isPriorityTensor } from '../../core/scan/scan-order';
import { isFullRemote, isRemoteFile } from './remote-files';

/**
 * The tensors the store scans of a file: all of a local file; of a remote one, by default only
 * the scales and small tensors (the verdict, the scheme, every finding that needs no weight
 * bytes), the rest left "not scanned"; all of them when it was opened to be read in full.
 */
export function tensorsToScan(file: Blob, tensors: TensorInfo[]): TensorInfo[] {
  return isRemoteFile(file) && !isFullRemote(file) ? tensors.filter(isPriorityTensor) : tensors;
}

/**
 * Whether the page's analyses of these files wait for the scan's end rather than the scales' end:
 * a default remote scan ends with its scales, and an analysis started before the last scale's
 * stats arrived would read that scale again over the network.
 */
export function analysesAtScanEnd(files: readonly { readonly file: Blob | null }[]): boolean {
  return files.some((f) => f.file !== null && isRemoteFile(f.file) && !isFullRemote(f.file));
}

/**
 * Whether every scale and small tensor of the remote files among `rows` has its outcome (stats or
 * a failure): the scan's last outcomes can reach the page after it reported its end (they travel
 * on another message port), and an analysis started without them reads those scales again.
 */
export function remoteScalesSettled(
  rows: readonly {
    readonly info: TensorInfo;
    readonly stats: unknown;
    readonly failed?: boolean;
  }[],
  isRemoteRow: (index: number) => boolean,
): boolean {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.stats === null && r.failed !== true && isPriorityTensor(r.info) && isRemoteRow(i)) {
      return false;
    }
  }
  return true;
}
