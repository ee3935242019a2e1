import type { RoleDecoding } from '../../core/scan/role-decode';
import { decodeTensors, decodingsByFile } from '../../core/scan/role-decode';
import type { ScanJob } from '../workers-client/scan-pool';
import { scannedTensors } from '../remote/remote-plan';
import type { TensorInfo } from '../../core/format/tensor-info';
import { planJobs } from './plan-jobs';
import type { PlannedFile } from './plan-jobs';

interface Part {
  readonly tensors: TensorInfo[];
  readonly rows: number[];
}

/**
 * A checkpoint's scan in two parts: the tensors no role can reinterpret (every dtype but U8) start
 * at once; the U8 tensors wait for the scheme recognition (seconds on a large NVFP4 MoE, on the
 * worker that opened the checkpoint) to be scanned as their role decodes them (E8M0 / E4M3 scales,
 * packed FP4).
 */
export function splitByRole(planned: readonly PlannedFile[]): {
  readonly now: PlannedFile[];
  readonly later: PlannedFile[];
} {
  const now: PlannedFile[] = [];
  const later: PlannedFile[] = [];
  for (const p of planned) {
    // A remote file is read by default for its scales and small tensors only.
    const scanned = scannedTensors(p.file.file);
    if (scanned === null && !p.tensors.some((t) => t.dtype === 'U8')) {
      now.push(p); // the usual file: all of it now, without copying its tensors
      continue;
    }
    const rest: Part = { tensors: [], rows: [] };
    const u8: Part = { tensors: [], rows: [] };
    p.tensors.forEach((t, i) => {
      const to = t.dtype === 'U8' ? u8 : scanned === null || scanned(t) ? rest : null;
      to?.tensors.push(t);
      to?.rows.push(p.rows[i]);
    });
    now.push({ ...p, ...rest });
    if (u8.tensors.length > 0) {
      later.push({ ...p, ...u8 });
    }
  }
  return { now, later };
}

/** The jobs of the U8 tensors once their roles are known (scales first, as `planJobs` orders). */
export function planRoleJobs(
  later: readonly PlannedFile[],
  decodings: readonly RoleDecoding[],
): ScanJob[] {
  const roles = decodingsByFile(decodings);
  return planJobs(
    later.map((p) => {
      const decoded = decodeTensors(p.tensors, roles.get(p.file.name));
      const scanned = scannedTensors(p.file.file);
      if (scanned === null) {
        return { ...p, tensors: decoded };
      }
      const kept = decoded.flatMap((t, i) => (scanned(t) ? [i] : []));
      return { ...p, tensors: kept.map((i) => decoded[i]), rows: kept.map((i) => p.rows[i]) };
    }),
  );
}
