import type { Finding } from '../quant-types';
import type { AnalysedModule } from './lint-input';
import { at } from './lint-input';
import { PLACEHOLDER_MAGNITUDE } from './implausible-magnitude';

/** The E8M0 code of the format's smallest scale, 2^-127. */
const E8M0_SMALLEST_CODE = 0x00;

/**
 * Blocks of an MX / NVFP4 module at the format's smallest scale with only zero codes: E8M0 0x00
 * (2^-127; any code under it is below 1e-37, so the block is zero in every dtype a runtime uses),
 * or an E4M3 zero scale over all-zero codes (zero scales over non-zero codes are
 * zero-scale-nonzero-block; telling them apart needs the weight pass). Null when unknown.
 */
function floorBlocks(e: AnalysedModule): number | null {
  const s = e.analysis.scale;
  if (s === null) {
    return null;
  }
  if (s.encoding === 'e8m0') {
    return s.codes === null ? null : s.codes[E8M0_SMALLEST_CODE];
  }
  if (s.encoding === 'e4m3' && e.module.scheme === 'nvfp4') {
    const w = e.analysis.weight;
    return s.zero === 0 ? 0 : w === null ? null : s.zero - w.zeroScaleBlocks;
  }
  return null;
}

/**
 * zeroed-block (warning): MX / NVFP4 blocks at the smallest scale with all-zero codes in a tensor
 * whose other blocks are normal. ModelOpt writes exactly this when it meets a NaN/Inf weight in an
 * MX format: the block is silently dropped and served as zeros. (A tensor of nothing but such
 * blocks is a placeholder, as in the gpt-oss test files, and is not reported.) Count: the blocks.
 */
export function zeroedBlocks(entries: readonly AnalysedModule[]): Finding[] {
  const out: Finding[] = [];
  for (const e of entries) {
    const s = e.analysis.scale;
    const n = floorBlocks(e);
    if (
      s === null ||
      n === null ||
      n === 0 ||
      n >= s.elements ||
      s.max === null ||
      s.max < PLACEHOLDER_MAGNITUDE
    ) {
      continue;
    }
    out.push({
      rule: 'zeroed-block',
      severity: 'warning',
      ...at(e.module, s),
      count: n,
      message: `${n} of ${s.elements} blocks have the smallest ${s.encoding === 'e8m0' ? 'E8M0 scale (2^-127)' : 'scale (zero)'} and only zero codes while the others are normal: ModelOpt writes this for blocks holding NaN/Inf weights, and every runtime serves those weights as zero`,
    });
  }
  return out;
}
