import type { RoleDecoding } from '../../core/scan/role-decode';
import { decodeTensors, decodingsByFile } from '../../core/scan/role-decode';
import type { ScanJob } from '../workers-client/scan-pool';
import { tensorsToScan } from '../remote/remote-plan';
import { planJobs } from './plan-jobs';
import type { PlannedFile } from './plan-jobs';

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
    const rest = p.tensors.filter((t) => t.dtype !== 'U8');
    const u8 = p.tensors.filter((t) => t.dtype === 'U8');
    now.push({ ...p, tensors: tensorsToScan(p.file.file, rest) });
    if (u8.length > 0) {
      later.push({ ...p, tensors: u8 });
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
    later.map((p) => ({
      ...p,
      tensors: tensorsToScan(p.file.file, decodeTensors(p.tensors, roles.get(p.file.name))),
    })),
  );
}
