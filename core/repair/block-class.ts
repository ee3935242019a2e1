import type { ByteSource } from '../io/byte-source';
import { readRange } from '../io/read-range';
import type { BlockPairing } from './block-pairing';
import type { RepairClass } from './repair-decisions';

/**
 * The magnitude bits of both nibbles of a packed FP4 byte (S EE M per nibble). A code is ±0 exactly
 * when its three magnitude bits are clear (0x0 or 0x8), so a byte holds two ±0 codes iff b & 0x77 = 0.
 */
const FP4_PAIR_MAGNITUDE_MASK = 0x77;
/**
 * A byte whose two E2M1 codes are both the saturated ±6 (code 7 or 15). ModelOpt's FP4 cast
 * (`_cast_fp4`: sign = x < 0, magnitude = searchsorted over the E2M1 bounds) turns NaN into +6,
 * so a block divided by a NaN scale is all 0x77; 0xFF (all −6) is the same fault with the sign set.
 */
const FP4_SATURATED_PAIRS: ReadonlySet<number> = new Set([0x77, 0xff]);
/** The seven magnitude bits of an F8_E4M3 code (±0 when clear). */
const FP8_MAGNITUDE_MASK = 0x7f;
/**
 * F8_E4M3 magnitudes a division by NaN leaves in an MXFP8 block: NaN (0x7F, torch ≤ 2.12 casts)
 * or the saturated 448 (0x7E, saturating casts).
 */
const FP8_SATURATED_MAGNITUDES: ReadonlySet<number> = new Set([0x7e, 0x7f]);
/**
 * Adjacent blocks are classified with one read covering all of them, up to this many bytes
 * (8,192 NVFP4 blocks); memory stays bounded whatever the tensor size.
 */
export const CLASSIFY_READ_MAX_BYTES = 64 * 1024;

/**
 * The class of the block of `blockBytes` bytes at `at`, from its codes as they are on disk:
 * neutral (every code ±0), destroyed (every code the same saturated code), else clamped.
 */
export function blockClass(
  bytes: Uint8Array,
  at: number,
  blockBytes: number,
  codes: BlockPairing['codes'],
): RepairClass {
  const zeroMask = codes === 'fp4' ? FP4_PAIR_MAGNITUDE_MASK : FP8_MAGNITUDE_MASK;
  const first = bytes[at];
  let zero = true;
  let same = true;
  for (let k = 0; k < blockBytes; k++) {
    const b = bytes[at + k];
    zero &&= (b & zeroMask) === 0;
    same &&= b === first;
  }
  if (zero) {
    return 'neutral';
  }
  const saturated =
    codes === 'fp4'
      ? FP4_SATURATED_PAIRS.has(first)
      : FP8_SATURATED_MAGNITUDES.has(first & FP8_MAGNITUDE_MASK);
  return same && saturated ? 'destroyed' : 'clamped';
}

/**
 * Classifies patched block scales (flat indices into the scale, ascending) by reading their blocks
 * in the paired weight. Nearby blocks share one read of at most CLASSIFY_READ_MAX_BYTES; `buffer`
 * (that size) is reused when the source allows.
 */
export async function classifyBlocks(
  source: ByteSource,
  pairing: BlockPairing,
  blocks: readonly number[],
  buffer: Uint8Array | null,
): Promise<RepairClass[]> {
  const { weight, blockBytes, codes } = pairing;
  const out: RepairClass[] = [];
  let i = 0;
  while (i < blocks.length) {
    const first = blocks[i];
    let j = i + 1;
    while (j < blocks.length && (blocks[j] - first + 1) * blockBytes <= CLASSIFY_READ_MAX_BYTES) {
      j++;
    }
    const span = (blocks[j - 1] - first + 1) * blockBytes;
    const bytes = await readRange(
      source,
      weight.offset + first * blockBytes,
      span,
      buffer,
      weight.name,
    );
    for (let k = i; k < j; k++) {
      out.push(blockClass(bytes, (blocks[k] - first) * blockBytes, blockBytes, codes));
    }
    i = j;
  }
  return out;
}
