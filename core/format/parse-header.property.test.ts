import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dtype } from '../dtype/dtype';
import { DTYPES, dtypeBits } from '../dtype/dtype';
import { memorySource } from '../io/byte-source';
import type { TensorSpec } from './build-safetensors';
import { buildSafetensors } from './build-safetensors';
import { CheckpointError } from './errors';
import { readHeader } from './parse-header';

/** Bounded runs: each property finishes in well under a second. */
const RUNS = 500;

const NAMES = ['w', 'b', '__proto__', 'constructor', '', 'a\u0000b', 'layer.0.weight', 'é'];

/** A valid tensor: shapes whose bit count fills whole bytes for every dtype. */
const tensorSpec: fc.Arbitrary<Omit<TensorSpec, 'name'>> = fc
  .record({
    dtype: fc.constantFrom<Dtype>(...DTYPES),
    shape: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
  })
  .map(({ dtype, shape }) => {
    const elements = shape.reduce((n, d) => n * d, 1);
    // Pad the element count to the dtype's byte group (F4: 2, F6: 4) by appending a dimension.
    const bits = dtypeBits(dtype);
    const fixed = (elements * bits) % 8 === 0 ? shape : [...shape, 8];
    const size = (fixed.reduce((n, d) => n * d, 1) * bits) / 8;
    return { dtype, shape: fixed, data: new Uint8Array(size).fill(0x3c) };
  });

const validFile: fc.Arbitrary<{ bytes: Uint8Array; specs: TensorSpec[] }> = fc
  .record({
    tensors: fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMES), tensorSpec), {
      maxLength: 5,
      selector: ([name]) => name,
    }),
    metadata: fc.option(
      fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
    ),
  })
  .map(({ tensors, metadata }) => {
    const specs = tensors.map(([name, spec]) => ({ name, ...spec }));
    const meta = metadata === null ? null : Object.fromEntries(Object.entries(metadata));
    return { bytes: buildSafetensors(specs, meta), specs };
  });

/** Tokens that steer mutations towards the interesting parts of the grammar. */
const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  '\\u',
  'd800',
  '-',
  '0',
  '9',
  '.',
  'e',
  'null',
  '\t',
  '\u00a0',
  '__metadata__',
  '"F4"',
  '[0,0]',
  '18446744073709551616',
  '1e400',
  '\u0000',
];

type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'prefix'; readonly value: bigint };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 4 }),
      fc.constantFrom(...TOKENS).map((t) => new TextEncoder().encode(t)),
    ),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    count: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({
    kind: fc.constant('prefix' as const),
    value: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 300n })),
  }),
);

function apply(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = bytes.length === 0 ? 0 : m.kind === 'prefix' ? 0 : m.at % (bytes.length + 1);
  switch (m.kind) {
    case 'flip': {
      const out = bytes.slice();
      if (out.length > 0) {
        out[at % out.length] ^= 1 << m.bit;
      }
      return out;
    }
    case 'truncate':
      return bytes.slice(0, at);
    case 'insert': {
      const out = new Uint8Array(bytes.length + m.bytes.length);
      out.set(bytes.subarray(0, at));
      out.set(m.bytes, at);
      out.set(bytes.subarray(at), at + m.bytes.length);
      return out;
    }
    case 'delete': {
      const out = new Uint8Array(bytes.length - Math.min(m.count, bytes.length - at));
      out.set(bytes.subarray(0, at));
      out.set(bytes.subarray(at + m.count), at);
      return out;
    }
    case 'prefix': {
      const out = bytes.slice();
      if (out.length >= 8) {
        new DataView(out.buffer).setBigUint64(0, m.value, true);
      }
      return out;
    }
  }
}

describe('readHeader on generated files', () => {
  it('accepts every valid file and returns its tensors exactly', async () => {
    await fc.assert(
      fc.asyncProperty(validFile, async ({ bytes, specs }) => {
        const result = await readHeader(memorySource('gen.safetensors', bytes));
        expect(result.ok ? 'OK' : result.error.message).toBe('OK');
        if (!result.ok) {
          return;
        }
        const header = result.value;
        expect(header.tensors.length).toBe(specs.length);
        let offset = header.dataStart;
        for (const spec of specs) {
          const t = header.byName.get(spec.name);
          expect(t).toMatchObject({
            dtype: spec.dtype,
            shape: spec.shape,
            nbytes: spec.data.length,
          });
          expect(t?.offset).toBe(offset);
          offset += spec.data.length;
        }
        expect(offset).toBe(bytes.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('ends every mutated file in a header or a CheckpointError, never another exception', async () => {
    await fc.assert(
      fc.asyncProperty(
        validFile,
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async ({ bytes }, mutations) => {
          const mutated = mutations.reduce(apply, bytes);
          const result = await readHeader(memorySource('mutated.safetensors', mutated));
          if (result.ok) {
            // Whatever was accepted tiles the data region exactly.
            const end = result.value.tensors.reduce(
              (max, t) => Math.max(max, t.offset + t.nbytes),
              result.value.dataStart,
            );
            expect(end).toBe(mutated.length);
          } else {
            expect(result.error).toBeInstanceOf(CheckpointError);
            expect(result.error.file).toBe('mutated.safetensors');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never throws on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        const result = await readHeader(memorySource('random.safetensors', bytes));
        expect(result.ok || result.error instanceof CheckpointError).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
