import type { TensorInfo } from '../../core/format/tensor-info';
import { isPriorityTensor } from '../../core/scan/scan-order';
import { isFullRemote, isRemoteFile } from './remote-files';

/**
 * Which tensors the store scans of a file: all of a local file (null); of a remote one, by
 * default only the scales and small tensors (the verdict, the scheme, every finding that needs no
 * weight bytes), the rest left "not scanned"; all of them when it was opened to be read in full.
 */
export function scannedTensors(file: Blob): ((tensor: TensorInfo) => boolean) | null {
  return isRemoteFile(file) && !isFullRemote(file) ? isPriorityTensor : null;
}

/**
 * Whether the page's analyses of these files wait for the scan's end rather than the scales' end:
 * a default remote scan ends with its scales, and an analysis started before the last scale's
 * stats arrived would read that scale again over the network.
 */
export function analysesAtScanEnd(files: readonly { readonly file: Blob | null }[]): boolean {
  return files.some((f) => f.file !== null && isRemoteFile(f.file) && !isFullRemote(f.file));
}
