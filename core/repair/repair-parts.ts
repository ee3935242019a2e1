import type { RepairPlan } from './plan-types';

/** The 8-byte little-endian header-length prefix that precedes the header. */
const SIZE_PREFIX_BYTES = 8;

/**
 * One piece of a repaired file: a range copied from the input, or replacement bytes. The parts of a
 * plan tile [0, fileSize) in order, so the output is their concatenation (a browser `Blob` of
 * `file.slice(start, end)` and `bytes`; a stream in the CLI).
 */
export type RepairPart =
  | { readonly kind: 'source'; readonly start: number; readonly end: number }
  | { readonly kind: 'bytes'; readonly offset: number; readonly bytes: Uint8Array };

/**
 * Turns a plan into parts: consecutive patched bytes merge into one `bytes` part, the ranges between
 * them are `source` parts (never empty). Throws a RangeError when `fileSize` is not the planned
 * file's size or the patches are not sorted, unique and inside the data region: bugs, never input.
 */
export function repairParts(
  plan: Pick<RepairPlan, 'fileSize' | 'headerLength' | 'patches'>,
  fileSize: number,
): RepairPart[] {
  if (fileSize !== plan.fileSize) {
    throw new RangeError(`the plan is for a file of ${plan.fileSize} bytes, not ${fileSize}`);
  }
  const dataStart = SIZE_PREFIX_BYTES + plan.headerLength;
  const parts: RepairPart[] = [];
  let copied = 0;
  const { patches } = plan;
  let i = 0;
  while (i < patches.length) {
    const start = patches[i].offset;
    if (start < Math.max(copied, dataStart) || start >= fileSize) {
      throw new RangeError(
        `patch offset ${start} is out of order or outside the data region [${dataStart}, ${fileSize})`,
      );
    }
    let j = i + 1;
    while (j < patches.length && patches[j].offset === start + (j - i)) {
      j++;
    }
    if (start + (j - i) > fileSize) {
      throw new RangeError(`patches run past the end of the file (${fileSize} bytes)`);
    }
    if (start > copied) {
      parts.push({ kind: 'source', start: copied, end: start });
    }
    const bytes = new Uint8Array(j - i);
    for (let k = i; k < j; k++) {
      bytes[k - i] = patches[k].new;
    }
    parts.push({ kind: 'bytes', offset: start, bytes });
    copied = start + bytes.length;
    i = j;
  }
  if (copied < fileSize) {
    parts.push({ kind: 'source', start: copied, end: fileSize });
  }
  return parts;
}
