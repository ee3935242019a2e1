import type { TensorInfo } from '../../format/tensor-info';
import type { Result } from '../../result';
import { err, ok } from '../../result';
import type { Fp8Layout, ScaleEncoding } from '../quant-layout';
import { product, sameShape, shapeText, squeeze } from '../shape-util';

/** The FP8 schemes a scale grid can express. */
export type Fp8Scheme = 'fp8-tensor' | 'fp8-channel' | 'fp8-block' | 'mxfp8';

/**
 * Block sizes tried, in order, when the shapes alone must say how many elements a scale covers:
 * 128 (DeepSeek / compressed-tensors FP8_BLOCK), 32 (MXFP8), then common group sizes.
 */
const BLOCK_CANDIDATES: readonly number[] = [128, 32, 64, 16, 256];

/** Elements per scale along an axis of `n` elements split into `count` scales, or null. */
export function inferBlock(n: number, count: number, preferred: number | null): number | null {
  if (count === n) {
    return 1;
  }
  if (count === 1) {
    return n;
  }
  const candidates = preferred === null ? BLOCK_CANDIDATES : [preferred, ...BLOCK_CANDIDATES];
  for (const b of candidates) {
    if (Math.ceil(n / b) === count) {
      return b;
    }
  }
  const even = Math.ceil(n / count);
  return Math.ceil(n / even) === count ? even : null;
}

function schemeOf(layout: Fp8Layout, rows: number, cols: number): Fp8Scheme {
  if (layout.scaleEncoding === 'e8m0') {
    return 'mxfp8';
  }
  if (layout.blockRows === rows && layout.blockCols === cols) {
    return 'fp8-tensor';
  }
  return layout.blockRows === 1 && layout.blockCols === cols ? 'fp8-channel' : 'fp8-block';
}

/**
 * The scale grid of an FP8 `weight` [...lead, R, C] from its `scale`'s shape: one element (per
 * tensor, or one per expert), [..., R] / [..., R, 1] (per channel), or [..., ⌈R/br⌉, ⌈C/bc⌉]
 * (blocks, groups, MX). `block` is the [rows, cols] block size a config names, if any.
 */
export function fp8Layout(
  weight: TensorInfo,
  scale: TensorInfo,
  scaleEncoding: ScaleEncoding,
  block: readonly [number, number] | null,
): Result<{ layout: Fp8Layout; scheme: Fp8Scheme }, string> {
  if (weight.dtype !== 'F8_E4M3' && weight.dtype !== 'F8_E5M2') {
    return err('an F8_E4M3 or F8_E5M2 weight');
  }
  const w = weight.shape.length >= 2 ? weight.shape : [1, ...weight.shape];
  const lead = w.slice(0, -2);
  const rows = w[w.length - 2];
  const cols = w[w.length - 1];
  const leadCount = product(lead);
  const base = { kind: 'fp8', weightDtype: weight.dtype, scaleEncoding, elementShape: w } as const;
  const make = (blockRows: number, blockCols: number): Ok => {
    const layout: Fp8Layout = {
      ...base,
      blockRows,
      blockCols,
      scaleShape: [...lead, Math.ceil(rows / blockRows), Math.ceil(cols / blockCols)],
    };
    return ok({ layout, scheme: schemeOf(layout, rows, cols) });
  };
  if (scale.elements === leadCount) {
    return make(rows, cols);
  }
  if (sameShape(squeeze(scale.shape), squeeze([...lead, rows]))) {
    return make(1, cols);
  }
  const s = scale.shape;
  if (s.length === w.length && sameShape(s.slice(0, -2), lead)) {
    const br = inferBlock(rows, s[s.length - 2], block === null ? null : block[0]);
    const bc = inferBlock(cols, s[s.length - 1], block === null ? null : block[1]);
    if (br !== null && bc !== null) {
      return make(br, bc);
    }
  }
  return err(
    `one element, ${shapeText([...lead, rows])} per channel, or ${shapeText([...lead, Math.ceil(rows / 128), Math.ceil(cols / 128)])} per 128x128 block`,
  );
}

type Ok = { readonly ok: true; readonly value: { layout: Fp8Layout; scheme: Fp8Scheme } };
