import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SafetensorsHeader, TensorInfo } from '../core/format/tensor-info';
import type { FileResult, ReportableError } from '../core/report/json-report';
import { checkpointVerdict } from '../core/report/verdict';
import type { VerdictInput } from '../core/report/verdict';
import type { TensorStats } from '../core/scan/tensor-stats';
import { runVerdictModel } from './scan-verdict';

function stats(name: string, nan: number, posInf: number): TensorStats {
  return {
    name,
    dtype: 'F8_E4M3',
    elements: 4,
    floatLike: true,
    nan,
    posInf,
    negInf: 0,
    zero: 0,
    subnormal: 0,
    saturated: 0,
    negative: 0,
    min: 1,
    max: 1,
    absmax: 1,
    mean: 1,
    std: 0,
    histogram: null,
    nanIndices: [],
    infIndices: [],
    densityMap: null,
  };
}

/** A tensor of a generated file: its name, and its stats' NaN and +Inf counts (null: not scanned). */
const tensor = fc.record({
  name: fc.constantFrom('model.layers.1.a.weight_scale', 'model.layers.2.b', 'lm_head', 'c_scales'),
  bad: fc.option(
    fc.oneof(
      { arbitrary: fc.constant<[number, number]>([0, 0]), weight: 4 },
      { arbitrary: fc.tuple(fc.nat(3), fc.nat(2)), weight: 1 },
    ),
    { nil: null },
  ),
});

/** Mostly true (or false): clean runs, where only the counts decide the verdict, are common. */
const mostly = (value: boolean) =>
  fc.oneof(
    { arbitrary: fc.constant(value), weight: 4 },
    { arbitrary: fc.constant(!value), weight: 1 },
  );

const file = fc.record({
  valid: mostly(true),
  failed: mostly(false),
  tensors: fc.array(tensor, { maxLength: 6 }),
});

function fileResult(
  f: { valid: boolean; tensors: { name: string; bad: [number, number] | null }[] },
  i: number,
): FileResult {
  const path = `f${i}.safetensors`;
  const tensors: TensorInfo[] = f.tensors.map((t, k) => ({
    name: `${t.name}.${k}`,
    dtype: 'U8',
    shape: [4],
    offset: 0,
    nbytes: 4,
    elements: 4,
  }));
  const header: SafetensorsHeader = {
    fileName: path,
    fileSize: 100,
    headerLength: 10,
    dataStart: 18,
    metadata: null,
    tensors,
    byName: new Map(tensors.map((t) => [t.name, t])),
  };
  const scanned = new Map<string, TensorStats>();
  f.tensors.forEach((t, k) => {
    if (t.bad !== null) {
      scanned.set(tensors[k].name, stats(tensors[k].name, t.bad[0], t.bad[1]));
    }
  });
  return { path, size: 100, header: f.valid ? header : null, stats: scanned };
}

describe('runVerdictModel: NaN/Inf tensors and counts', () => {
  it('gives the verdict of the model listing every tensor', () => {
    fc.assert(
      fc.property(fc.array(file, { maxLength: 4 }), fc.boolean(), (generated, scalesOnly) => {
        const files = generated.map(fileResult);
        const errors: ReportableError[] = generated.flatMap((f, i) =>
          f.failed
            ? [
                {
                  file: `f${i}.safetensors`,
                  code: 'ReadFailed' as const,
                  tensor: null,
                  message: 'x',
                },
              ]
            : [],
        );
        const toRead = scalesOnly ? (t: TensorInfo) => t.name.includes('scale') : undefined;
        const model = runVerdictModel({ files, errors, findings: [] }, toRead);
        // Every tensor of every valid file, as the verdict's inputs, independently of the CLI.
        const every: VerdictInput[] = files.flatMap((f) =>
          (f.header?.tensors ?? []).map((t) => {
            const s = f.stats.get(t.name);
            return { name: t.name, dtype: s?.dtype ?? t.dtype, stats: s ?? null };
          }),
        );
        expect(model.tensors.every((t) => (t.stats?.nan ?? 0) + (t.stats?.posInf ?? 0) > 0)).toBe(
          true,
        );
        expect(checkpointVerdict(model)).toEqual(
          checkpointVerdict({ ...model, tensors: every, counts: undefined }),
        );
      }),
      { numRuns: 500 },
    );
  });
});
