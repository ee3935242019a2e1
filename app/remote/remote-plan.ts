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
