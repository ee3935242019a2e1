import { repairParts } from '../../core/repair/repair-parts';
import type { RepairPlan } from '../../core/repair/plan-repair';

/**
 * The repaired file as a Blob of slices of the original File and the patched bytes: nothing is
 * copied into memory, so a 5 GB shard with a few patches costs kilobytes.
 */
export function composeRepaired(file: Blob, plan: RepairPlan): Blob {
  const parts = repairParts(plan, file.size).map((p) =>
    p.kind === 'source' ? file.slice(p.start, p.end) : new Uint8Array(p.bytes),
  );
  return new Blob(parts, { type: 'application/octet-stream' });
}

/** The name the repaired shard is saved under: the original's, so it drops back into its folder. */
export function repairedFileName(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? path : path.slice(at + 1);
}
