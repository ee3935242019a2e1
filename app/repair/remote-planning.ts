import type { SafetensorsHeader } from '../../core/format/tensor-info';
import { isPriorityTensor } from '../../core/scan/scan-order';
import { isRemoteFile } from '../remote/remote-files';
import type { FileState } from '../store/scan-store';

/**
 * Whether repair plans of these files wait for a click: planning a remote file reads its scale
 * tensors again over the network (issue 14's byte budget holds for the default scan only), so the
 * page plans only when asked. Local files are planned as soon as their scan ends.
 */
export function plansOnRequest(files: readonly Pick<FileState, 'file'>[]): boolean {
  return files.some((f) => isRemoteFile(f.file));
}

/**
 * Bytes a repair plan of `headers` reads at most: the scale and small tensors (what the default
 * remote scan reads; the policy's tensors are among them), for the button's "~N MB".
 */
export function planReadBytes(headers: readonly SafetensorsHeader[]): number {
  let total = 0;
  for (const h of headers) {
    for (const t of h.tensors) {
      if (isPriorityTensor(t)) {
        total += t.nbytes;
      }
    }
  }
  return total;
}

/** "~1.2 MB" (decimal units, as the network status line). */
export function formatApproxBytes(bytes: number): string {
  if (bytes < 1e6) {
    return `~${Math.max(1, Math.round(bytes / 1e3)).toLocaleString('en-US')} kB`;
  }
  return `~${(bytes / 1e6).toFixed(1)} MB`;
}
