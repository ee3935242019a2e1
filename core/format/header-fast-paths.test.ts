import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dtype } from '../dtype/dtype';
import { DTYPES, dtypeBits } from '../dtype/dtype';
import type { RawTensorEntry } from './header-schema';
import { validateHeader } from './header-validate';
import { JsonError, JsonReader } from './json-reader';
import { U64_MAX } from './strict-json';

/** Bounded runs: each property finishes in well under a second. */
const RUNS = 1000;

/** What a read does to a reader: its value (or the error's detail) and where it stopped. */
function outcome<T>(reader: JsonReader, read: () => T): { value: T | string; at: number } {
  try {
    return { value: read(), at: reader.position };
  } catch (e) {
    if (e instanceof JsonError) {
      return { value: `error: ${e.detail}`, at: e.position };
    }
    throw e;
  }
}

const numberText = fc.oneof(
  fc.stringMatching(/^-?(0|[1-9][0-9]{0,20})(\.[0-9]{1,3})?([eE][+-]?[0-9]{1,3})?$/),
  fc.stringMatching(/^[0-9]{1,20}[,\]} x.eE-]?$/),
  fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String),
);

describe('JsonReader.readSmallUint', () => {
  it('reads exactly what readNumber reads as a small integer, and leaves everything else to it', () => {
    fc.assert(
      fc.property(numberText, fc.constantFrom('', ' ', '\n\t'), (text, space) => {
        const fast = new JsonReader(space + text);
        const slow = new JsonReader(space + text);
        const small = fast.readSmallUint();
        const full = outcome(slow, () => slow.readNumber());
        if (small < 0) {
          // Nothing consumed but whitespace: readNumber then reads the token as it always did.
          expect(outcome(fast, () => fast.readNumber())).toEqual(full);
        } else {
          expect(small).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
          expect(full.value).toEqual({ text: String(small), integer: BigInt(small) });
          expect(fast.position).toBe(full.at);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('takes plain integers of up to 15 digits only', () => {
    const read = (text: string): number => new JsonReader(text).readSmallUint();
    expect(read('0')).toBe(0);
    expect(read('999999999999999')).toBe(999999999999999);
    expect(read('1000000000000000')).toBe(-1);
    for (const text of ['-1', '01', '0.5', '1e3', '1E3', '2.0', '0e1', '"1"', 'x']) {
      expect(read(text), text).toBe(-1);
    }
  });
});

describe('JsonReader: known keys and strings', () => {
  const KNOWN = ['dtype', 'shape', 'data_offsets', 'F8_E4M3', 'F8_E4M3FNUZ', 'F8_E8M0'];
  const body = fc.oneof(
    fc.constantFrom(...KNOWN),
    fc.constantFrom(...KNOWN).map((k) => `${k}x`),
    fc.constantFrom(...KNOWN).map((k) => k.slice(0, -1)),
    fc.constantFrom('dty\\u0070e', 'shape\\"', 'sha\\\\pe', '', 'dtype\u0001'),
    fc.string({ maxLength: 8 }),
  );
  it('nextKey(known) and readString(known) read every string as without them', () => {
    fc.assert(
      fc.property(body, fc.constantFrom('', '"', ':1}', '":1}'), (key, tail) => {
        const text = `{"${key}${tail}`;
        const plain = new JsonReader(text);
        const withKnown = new JsonReader(text);
        plain.beginObject();
        withKnown.beginObject();
        expect(outcome(withKnown, () => withKnown.nextKey(KNOWN))).toEqual(
          outcome(plain, () => plain.nextKey()),
        );
        const a = new JsonReader(`"${key}${tail}`);
        const b = new JsonReader(`"${key}${tail}`);
        expect(outcome(b, () => b.readString(KNOWN))).toEqual(outcome(a, () => a.readString()));
      }),
      { numRuns: RUNS },
    );
  });

  it('returns the caller’s own string for a known key', () => {
    const reader = new JsonReader('{"data_offsets":1}');
    reader.beginObject();
    const known = ['data_offsets'];
    expect(reader.nextKey(known)).toBe(known[0]);
  });
});

/**
 * The reference's sizes, in BigInt throughout: the element count (checked u64 product, left to
 * right), then bits, whole bytes and the span; the error code when one of them fails.
 */
function referenceSize(t: RawTensorEntry): { elements: bigint; bytes: bigint } | string {
  let elements = 1n;
  for (const d of t.shape) {
    elements *= d;
    if (elements > U64_MAX) {
      return 'ValidationOverflow';
    }
  }
  const bits = elements * BigInt(dtypeBits(t.dtype));
  if (bits > U64_MAX) {
    return 'ValidationOverflow';
  }
  if (bits % 8n !== 0n) {
    return 'MisalignedSlice';
  }
  return t.end - t.begin === bits / 8n ? { elements, bytes: bits / 8n } : 'TensorInvalidInfo';
}

const dimension = fc.oneof(
  fc.bigInt({ min: 0n, max: 9n }),
  fc.bigInt({ min: 0n, max: 2n ** 20n }),
  fc.constantFrom(2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, U64_MAX),
);

describe('validateHeader sizes', () => {
  it('agree with the reference u64 arithmetic, small or beyond 2^53', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Dtype>(...DTYPES),
        fc.array(dimension, { maxLength: 4 }),
        fc.oneof(fc.constant(0n), fc.bigInt({ min: -3n, max: 3n })),
        (dtype, shape, skew) => {
          // The span the shape needs (when it fits), shifted by `skew` bytes to make wrong spans.
          const elements = shape.reduce((n, d) => n * d, 1n);
          const span = (elements * BigInt(dtypeBits(dtype))) / 8n + skew;
          const end = span < 0n ? 0n : span > U64_MAX ? U64_MAX : span;
          const t: RawTensorEntry = { name: 't', dtype, shape, begin: 0n, end };
          const expected = referenceSize(t);
          const result = validateHeader('f.safetensors', Number(8n + 16n + end), 16, {
            metadata: null,
            tensors: [t],
            duplicateTensorNames: [],
            duplicateMetadataKeys: [],
          });
          if (typeof expected === 'string') {
            expect(result.ok ? 'ok' : result.error.code).toBe(expected);
          } else if (result.ok) {
            expect(result.value.tensors[0]).toMatchObject({
              nbytes: Number(expected.bytes),
              elements: Number(expected.elements),
              shape: shape.map(Number),
            });
          } else {
            // A valid size in a file too large for doubles: only the coverage check may refuse it.
            expect(result.error.code).toBe('MetadataIncompleteBuffer');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
