import type { Fp4Layout } from '../quant/quant-layout';
import type { QuantModule } from '../quant/quant-types';
import type { NibblePairs } from './decoded-stream';
import type { DiffFinding } from './diff-types';

/**
 * An alternative reading of an FP4 module "fits clearly better" than the one its scheme says when
 * its cosine with the float reference is higher by at least this much...
 */
export const LAYOUT_MIN_COSINE_GAIN = 0.02;
/**
 * ...and its distance from a perfect fit (1 − cosine) is at most this fraction of the reading's
 * own. A right reading of NVFP4/MXFP4 gives ~0.995; swapped nibbles pair unrelated neighbours
 * (~0), but scales read from the wrong cells keep every sign, so a wrong scale layout can still
 * reach 0.95 (measured: 0.949, SQNR 9.7 dB against 20 dB): the ratio, not the gain, tells them
 * apart, and a 4x smaller misfit does not happen to a wrong reading by chance.
 */
export const LAYOUT_MAX_MISFIT_RATIO = 0.25;

/** Which values trade places if the module's FP4 nibbles were read the other way round. */
export function nibblePairsOf(layout: Fp4Layout): NibblePairs {
  if (layout.packedAxis === 'last') {
    return { axis: 'last' };
  }
  const es = layout.elementShape;
  return { axis: 'second-last', rows: es[es.length - 2], cols: es[es.length - 1] };
}

/**
 * The module read with the other scale layout, when its scheme has a swizzled one and the scale
 * tensor can be read both ways: a cuBLAS 128x4 swizzled scale read plainly row-major over its
 * stored (padded) shape, as a reader that does not know the swizzle would. Null otherwise.
 */
export function otherScaleLayout(module: QuantModule, layout: Fp4Layout): QuantModule | null {
  const scale = module.tensors.scale;
  if (layout.scaleLayout !== 'cublas-128x4' || scale === undefined) {
    return null;
  }
  const stored = scale.info.shape;
  if (stored.length !== 2 || layout.elementShape.length !== 2) {
    return null;
  }
  const other: Fp4Layout = { ...layout, scaleLayout: 'row-major', scaleShape: stored };
  return { ...module, layout: other };
}

export interface LayoutFits {
  readonly asRead: number | null;
  readonly nibblesSwapped: number | null;
  readonly otherScaleLayout: number | null;
}

function clearlyBetter(asRead: number, alt: number | null): alt is number {
  return (
    alt !== null &&
    alt >= asRead + LAYOUT_MIN_COSINE_GAIN &&
    1 - alt <= (1 - asRead) * LAYOUT_MAX_MISFIT_RATIO
  );
}

/** `layout-mismatch` findings when an alternative reading fits the float reference clearly better. */
export function layoutFindings(prefix: string, layout: Fp4Layout, fits: LayoutFits): DiffFinding[] {
  const out: DiffFinding[] = [];
  const asRead = fits.asRead;
  if (asRead === null) {
    return out;
  }
  if (clearlyBetter(asRead, fits.nibblesSwapped)) {
    out.push({
      rule: 'layout-mismatch',
      severity: 'error',
      name: prefix,
      message: `${prefix}: FP4 nibbles look swapped: cosine ${asRead.toFixed(2)} as read (${layout.nibbleOrder}), ${fits.nibblesSwapped.toFixed(2)} swapped`,
    });
  }
  if (clearlyBetter(asRead, fits.otherScaleLayout)) {
    out.push({
      rule: 'layout-mismatch',
      severity: 'error',
      name: prefix,
      message: `${prefix}: FP4 block scales look row-major, not ${layout.scaleLayout}: cosine ${asRead.toFixed(2)} as read, ${fits.otherScaleLayout.toFixed(2)} row-major`,
    });
  }
  return out;
}
