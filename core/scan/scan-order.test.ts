import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../format/tensor-info';
import type { Dtype } from '../dtype/dtype';
import { histogramTensors, isPriorityTensor, orderForScan, SMALL_TENSOR_BYTES } from './scan-order';

const MIB = 1024 * 1024;

function t(name: string, offset: number, nbytes: number): TensorInfo {
  return { name, dtype: 'U8', shape: [nbytes], offset, nbytes, elements: nbytes };
}

describe('orderForScan', () => {
  it('puts scales and small tensors first, then the rest, each by offset', () => {
    const tensors = [
      t('layers.0.mlp.weight', 100, 64 * MIB),
      t('layers.0.mlp.weight_scale', 10 * MIB, 4 * MIB),
      t('layers.0.mlp.weight_scale_2', 50, 4),
      t('lm_head.weight', 0, 32 * MIB),
      t('layers.1.mlp.weight_scale_inv', 5 * MIB, 2 * MIB),
      t('experts.gate_up_proj_scales', 20 * MIB, 8 * MIB),
      t('norm.weight', 200 * MIB, 16 * 1024),
      t('layers.0.attn.k_proj.k_scale', 300 * MIB, 4),
      t('awq.scales', 400 * MIB, 3 * MIB),
    ];
    expect(orderForScan(tensors).map((x) => x.name)).toEqual([
      'layers.0.mlp.weight_scale_2',
      'layers.1.mlp.weight_scale_inv',
      'layers.0.mlp.weight_scale',
      'experts.gate_up_proj_scales',
      'norm.weight',
      'layers.0.attn.k_proj.k_scale',
      'awq.scales',
      'lm_head.weight',
      'layers.0.mlp.weight',
    ]);
  });

  it('is stable for equal offsets and does not mutate its input', () => {
    const tensors = [t('b', 0, 0), t('a', 0, 0), t('big', 0, 2 * MIB)];
    const copy = [...tensors];
    expect(orderForScan(tensors).map((x) => x.name)).toEqual(['b', 'a', 'big']);
    expect(tensors).toEqual(copy);
  });

  it('equals a stable sort by (priority, offset, input position) (fast-check)', () => {
    const entry = fc.record({
      offset: fc.integer({ min: 0, max: 40 }), // few values: many ties
      large: fc.boolean(),
      scale: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), fc.boolean(), (list, sorted) => {
        const entries = sorted ? [...list].sort((a, b) => a.offset - b.offset) : list;
        const tensors = entries.map((e, i) =>
          t(e.scale ? `m${i}.weight_scale` : `m${i}.weight`, e.offset, e.large ? 2 * MIB : 4),
        );
        const input = [...tensors];
        const reference = tensors
          .map((tensor, index) => ({ tensor, index, early: isPriorityTensor(tensor) ? 0 : 1 }))
          .sort(
            (a, b) => a.early - b.early || a.tensor.offset - b.tensor.offset || a.index - b.index,
          )
          .map((e) => e.tensor);
        const order = orderForScan(tensors);
        expect(order).toHaveLength(reference.length);
        order.forEach((x, i) => expect(x).toBe(reference[i]));
        expect(tensors).toEqual(input);
      }),
      { numRuns: 300 },
    );
  });

  it('recognizes every documented scale suffix', () => {
    const names = [
      'x.weight_scale',
      'x.weight_scale_2',
      'x.input_scale',
      'x.gate_up_proj_scales',
      'x.weight_scale_inv',
      'x.scales',
      'x.weight_global_scale',
      'x.k_scale',
      'x.v_scale',
      '0.weight:scale',
    ];
    for (const name of names) {
      expect(isPriorityTensor(t(name, 0, 100 * MIB)), name).toBe(true);
    }
    expect(isPriorityTensor(t('x.weight', 0, SMALL_TENSOR_BYTES))).toBe(false);
    expect(isPriorityTensor(t('x.weight', 0, SMALL_TENSOR_BYTES - 1))).toBe(true);
  });
});

describe('histogramTensors', () => {
  const of = (name: string, dtype: Dtype, nbytes: number): TensorInfo => ({
    name,
    dtype,
    shape: [nbytes],
    offset: 0,
    nbytes,
    elements: nbytes,
  });
  const tensors = [
    of('a.weight_scale', 'F8_E4M3', 64 * MIB),
    of('a.weight_scale_2', 'F32', 4),
    of('a.weight_packed', 'U8', 64 * MIB),
    of('a.norm', 'BF16', 8192),
    of('a.small', 'U8', 100),
    of('a.weight', 'BF16', 64 * MIB),
  ];

  it('all: every tensor', () => {
    expect(tensors.map(histogramTensors(true))).toEqual([true, true, true, true, true, true]);
  });

  it('otherwise: only the 1-byte scale and small tensors (the analysis reuses their bytes)', () => {
    expect(tensors.map(histogramTensors(false))).toEqual([true, false, false, false, true, false]);
  });

  it('otherwise also every F8_E4M3 tensor, however large (fnuz-portability counts its bytes)', () => {
    const large = [
      of('a.weight', 'F8_E4M3', 64 * MIB),
      of('b.weight', 'F8_E5M2', 64 * MIB),
      of('c.weight', 'I8', 64 * MIB),
    ];
    expect(large.map(histogramTensors(false))).toEqual([true, false, false]);
  });
});
