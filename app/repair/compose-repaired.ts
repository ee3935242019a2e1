import { repairParts } from '../../core/repair/repair-parts';
import type { RepairPart } from '../../core/repair/repair-parts';
import type { RepairPlan } from '../../core/repair/plan-repair';
import { isRemoteFile } from '../remote/remote-files';

/**
 * Patched bytes at most this far apart go into one Blob part, with the original bytes between
 * them read from the file: a Blob costs Chromium ~0.35 ms per part (measured: 64 Ki isolated
 * patches, two parts each, took 25 s to download), so nearby patches should not each cost two.
 * The memory this takes is at most this many bytes per patch.
 */
export const REGION_GAP_BYTES = 256;

/** A run of the repaired file built in memory: [start, end) of the original with `parts` applied. */
interface Region {
  readonly start: number;
  readonly end: number;
  readonly parts: readonly Extract<RepairPart, { kind: 'bytes' }>[];
}

/**
 * The repaired file as a Blob of slices of the original File and patched bytes. Only the
 * stretches between nearby patches are read into memory (REGION_GAP_BYTES), so a 5 GB shard with
 * a few patches costs kilobytes and a dense cluster of patches a few parts.
 */
export async function composeRepaired(file: Blob, plan: RepairPlan): Promise<Blob> {
  if (isRemoteFile(file)) {
    // A remote file's bytes are not in this browser: it is repaired where it is downloaded.
    throw new Error(
      'remote files are repaired where they are downloaded: download the repo (e.g. huggingface-cli download ORG/NAME --local-dir ORG/NAME) and run the ckptscope repair command shown, or use the manifest',
    );
  }
  const out: BlobPart[] = [];
  for (const piece of groupParts(repairParts(plan, file.size))) {
    if ('parts' in piece) {
      out.push(await regionBytes(file, piece));
    } else if (piece.kind === 'source') {
      out.push(file.slice(piece.start, piece.end));
    } else {
      out.push(new Uint8Array(piece.bytes));
    }
  }
  return new Blob(out, { type: 'application/octet-stream' });
}

/**
 * The parts with every run of `bytes` parts separated only by short `source` gaps (under
 * REGION_GAP_BYTES) turned into one region; everything else as it was.
 */
export function groupParts(parts: readonly RepairPart[]): (RepairPart | Region)[] {
  const out: (RepairPart | Region)[] = [];
  let i = 0;
  while (i < parts.length) {
    const first = parts[i];
    if (first.kind !== 'bytes') {
      out.push(first);
      i++;
      continue;
    }
    // Extend over (short gap, bytes) pairs.
    const run: Extract<RepairPart, { kind: 'bytes' }>[] = [first];
    let j = i + 1;
    for (;;) {
      const gap = parts[j];
      const next = parts[j + 1];
      if (
        gap?.kind !== 'source' ||
        gap.end - gap.start >= REGION_GAP_BYTES ||
        next?.kind !== 'bytes'
      ) {
        break;
      }
      run.push(next);
      j += 2;
    }
    const last = run[run.length - 1];
    out.push(
      run.length === 1
        ? first
        : { start: first.offset, end: last.offset + last.bytes.length, parts: run },
    );
    i = j;
  }
  return out;
}

async function regionBytes(file: Blob, region: Region): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(await file.slice(region.start, region.end).arrayBuffer());
  if (bytes.length !== region.end - region.start) {
    throw new RangeError(`short read of bytes ${region.start}-${region.end} of the input`);
  }
  for (const p of region.parts) {
    bytes.set(p.bytes, p.offset - region.start);
  }
  return bytes;
}

/** The name the repaired shard is saved under: the original's, so it drops back into its folder. */
export function repairedFileName(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? path : path.slice(at + 1);
}
