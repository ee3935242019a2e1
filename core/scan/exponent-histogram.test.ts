import { describe, expect, it } from 'vitest';
import { DTYPES, dtypeBits } from '../dtype/dtype';
import fc from 'fast-check';
import {
  ExponentCounts,
  exponentRange,
  trimExponentBins,
  withTrimmedHistogram,
} from './exponent-histogram';
import { EmptyTensorStats } from './empty-tensor-stats';
import type { Histogram } from './tensor-stats';

describe('exponentRange', () => {
  it('spans smallest subnormal to largest finite for floats, 0..bits-1 for integers', () => {
    expect(exponentRange('F16')).toEqual({ minExponent: -24, bins: 40 });
    expect(exponentRange('BF16')).toEqual({ minExponent: -133, bins: 261 });
    expect(exponentRange('F32')).toEqual({ minExponent: -149, bins: 277 });
    expect(exponentRange('C64')).toEqual({ minExponent: -149, bins: 277 });
    expect(exponentRange('F64')).toEqual({ minExponent: -1074, bins: 2098 });
    expect(exponentRange('I32')).toEqual({ minExponent: 0, bins: 32 });
    expect(exponentRange('U64')).toEqual({ minExponent: 0, bins: 64 });
  });

  it('is null exactly for code-histogram dtypes', () => {
    for (const d of DTYPES) {
      expect(exponentRange(d) === null, d).toBe(dtypeBits(d) <= 8);
    }
  });
});

describe('ExponentCounts', () => {
  it('fills sign-split bins offset by minExponent', () => {
    const x = new ExponentCounts({ minExponent: -2, bins: 4 });
    x.add(-2, false, 3);
    x.add(1, true, 2);
    x.nan = 1;
    expect(x.toHistogram()).toEqual({
      kind: 'exponent',
      minExponent: -2,
      positive: [3, 0, 0, 0],
      negative: [0, 0, 0, 2],
      zero: 0,
      nan: 1,
      posInf: 0,
      negInf: 0,
    });
  });
});

describe('trimExponentBins', () => {
  const exponent = (minExponent: number, positive: number[], negative: number[]): Histogram => ({
    kind: 'exponent',
    minExponent,
    positive,
    negative,
    zero: 1,
    nan: 2,
    posInf: 3,
    negInf: 4,
  });
  /** (exponent, positive, negative) of every nonzero bin. */
  const nonzero = (h: Histogram): [number, number, number][] => {
    if (h.kind !== 'exponent') {
      return [];
    }
    const out: [number, number, number][] = [];
    for (let i = 0; i < Math.max(h.positive.length, h.negative.length); i++) {
      const p = h.positive[i] ?? 0;
      const n = h.negative[i] ?? 0;
      if (p !== 0 || n !== 0) {
        out.push([h.minExponent + i, p, n]);
      }
    }
    return out;
  };

  it('cuts empty bins at both ends, keeps inner ones and every other field', () => {
    expect(trimExponentBins(exponent(-5, [0, 0, 3, 0, 1, 0], [0, 0, 0, 0, 2, 0]))).toEqual(
      exponent(-3, [3, 0, 1], [0, 0, 2]),
    );
    expect(trimExponentBins(exponent(-5, [0, 0], [0, 0]))).toEqual(exponent(-5, [], []));
    const full = exponent(0, [1, 2], [0, 3]);
    expect(trimExponentBins(full)).toBe(full);
    const codes: Histogram = { kind: 'codes', bits: 8, counts: [0, 5] };
    expect(trimExponentBins(codes)).toBe(codes);
  });

  it('keeps every nonzero bin at its exponent, and is idempotent (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1074, max: 0 }),
        fc.array(fc.tuple(fc.nat(3), fc.nat(3)), { maxLength: 40 }),
        (minExponent, bins) => {
          const h = exponent(
            minExponent,
            bins.map(([p]) => p),
            bins.map(([, n]) => n),
          );
          const t = trimExponentBins(h);
          expect(nonzero(t)).toEqual(nonzero(h));
          expect(trimExponentBins(t)).toEqual(t);
          if (t.kind === 'exponent' && t.positive.length > 0) {
            expect((t.positive[0] ?? 0) + (t.negative[0] ?? 0)).toBeGreaterThan(0);
            const last = t.positive.length - 1;
            expect((t.positive[last] ?? 0) + (t.negative[last] ?? 0)).toBeGreaterThan(0);
          }
        },
      ),
    );
  });
});

describe('withTrimmedHistogram', () => {
  it('trims as trimExponentBins does, and stats sharing a histogram share the trimmed one', () => {
    const empty = new EmptyTensorStats({ wasm: false });
    const info = (name: string) =>
      ({ name, dtype: 'F32', shape: [0], offset: 8, nbytes: 0, elements: 0 }) as const;
    const a = withTrimmedHistogram(empty.of(info('a'), true));
    const b = withTrimmedHistogram(empty.of(info('b'), true));
    const template = empty.of(info('c'), true).histogram;
    expect(template).not.toBeNull();
    if (template === null || a.histogram === null) {
      return;
    }
    expect(a.histogram).toEqual(trimExponentBins(template));
    expect(a.histogram).not.toBe(template); // F32's full span, cut to nothing
    expect(b.histogram).toBe(a.histogram);
    expect([a.name, b.name]).toEqual(['a', 'b']);
  });
});
