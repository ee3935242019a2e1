import { assertUnreachable } from '../dtype/dtype';
import { F8_E8M0_NAN_CODE } from '../dtype/fp8';
import type { ElementRule } from './element-rule';
import { floatReplacement, fp8Replacement } from './repair-decisions';
import { byteOfBits, isE4m3Nan, isNonFinite, readBitsLE } from './replacement';

/** One byte to change, located within its tensor. */
export interface BytePatch {
  /** Index of the element the byte belongs to (several bytes of one float share it). */
  readonly flatIndex: number;
  /** Offset of the byte from the start of the tensor's data. */
  readonly tensorByte: number;
  readonly old: number;
  readonly new: number;
}

/**
 * The byte patches `rule` plans for one chunk of a tensor's data, in ascending byte order.
 * `chunkStart` (the chunk's offset in the tensor) and the chunk length must be whole elements.
 * Only bytes that actually change are returned. With a `limit`, it stops once it has more than
 * that many (one element more at most): a caller that may hold `limit` learns that there are more
 * without a patch object for every byte of the chunk.
 */
export function chunkPatches(
  rule: ElementRule,
  chunk: Uint8Array,
  chunkStart: number,
  limit = Number.POSITIVE_INFINITY,
): BytePatch[] {
  switch (rule.kind) {
    case 'fp8':
      return bytePatches(
        chunk,
        chunkStart,
        isE4m3Nan,
        (old) => fp8Replacement(old, rule.rule, rule.role),
        limit,
      );
    case 'e8m0':
      return bytePatches(
        chunk,
        chunkStart,
        (b) => b === F8_E8M0_NAN_CODE,
        () => rule.byte,
        limit,
      );
    case 'float':
      return floatPatches(rule, chunk, chunkStart, limit);
    default:
      return assertUnreachable(rule);
  }
}

function bytePatches(
  chunk: Uint8Array,
  chunkStart: number,
  isBad: (code: number) => boolean,
  replace: (code: number) => number,
  limit: number,
): BytePatch[] {
  const patches: BytePatch[] = [];
  for (let i = 0; i < chunk.length && patches.length <= limit; i++) {
    const old = chunk[i];
    if (isBad(old)) {
      const replacement = replace(old);
      if (replacement !== old) {
        const at = chunkStart + i;
        patches.push({ flatIndex: at, tensorByte: at, old, new: replacement });
      }
    }
  }
  return patches;
}

function floatPatches(
  rule: Extract<ElementRule, { kind: 'float' }>,
  chunk: Uint8Array,
  chunkStart: number,
  limit: number,
): BytePatch[] {
  const width = rule.layout.bytes;
  if (chunk.length % width !== 0 || chunkStart % width !== 0) {
    throw new RangeError(
      `chunk [${chunkStart}, +${chunk.length}) is not whole ${width}-byte elements`,
    );
  }
  const patches: BytePatch[] = [];
  for (let i = 0; i < chunk.length && patches.length <= limit; i += width) {
    const bits = readBitsLE(chunk, i, width);
    if (!isNonFinite(bits, rule.layout)) {
      continue;
    }
    const replacement = floatReplacement(bits, rule.layout, rule.rule, rule.role);
    const flatIndex = (chunkStart + i) / width;
    for (let k = 0; k < width; k++) {
      const old = chunk[i + k];
      const next = byteOfBits(replacement, k);
      if (next !== old) {
        patches.push({ flatIndex, tensorByte: chunkStart + i + k, old, new: next });
      }
    }
  }
  return patches;
}
