import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DTYPES } from '../dtype/dtype';
import type { TensorInfo } from './tensor-info';
import { parseHeaderBytes } from './parse-header';
import {
  fillByName,
  headerWithTensors,
  isPackedHeader,
  packHeader,
  packTensors,
  unpackHeader,
  unpackTensors,
} from './packed-tensors';

/** A header as the parser gives it: JSON order differs from offset order; awkward names. */
function parsed(json: string) {
  const body = new TextEncoder().encode(json);
  const dataBytes = 12;
  const bytes = new Uint8Array(8 + body.length + dataBytes);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(body.length), true);
  bytes.set(body, 8);
  const r = parseHeaderBytes('m.safetensors', bytes.length, bytes.subarray(8, 8 + body.length));
  if (!r.ok) {
    throw new Error(r.error.message);
  }
  return r.value;
}

const HEADER = parsed(
  JSON.stringify({
    __metadata__: { format: 'pt' },
    'z.second': { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
    '': { dtype: 'U8', shape: [], data_offsets: [0, 1] },
    'bidi\u202egnp.exe 😀': { dtype: 'F8_E4M3', shape: [1, 1, 1], data_offsets: [1, 2] },
    ['__proto__']: { dtype: 'BOOL', shape: [2], data_offsets: [2, 4] },
    empty: { dtype: 'BF16', shape: [0, 5], data_offsets: [12, 12] },
  }).replace('[0,5]', '[0,18446744073709551615]'),
);

describe('packTensors / unpackTensors', () => {
  it('rebuilds every field of a parsed header, the exact shape past 2^53 included', () => {
    expect(HEADER.tensors.some((t) => t.exactShape !== undefined)).toBe(true);
    const out: TensorInfo[] = [];
    unpackTensors(packTensors(HEADER.tensors), out);
    // The reference: what postMessage's structured clone makes of the objects.
    expect(out).toEqual(structuredClone(HEADER.tensors));
  });

  it('slice by slice gives what one call gives', () => {
    const packed = packTensors(HEADER.tensors);
    const whole: TensorInfo[] = [];
    unpackTensors(packed, whole);
    const sliced: TensorInfo[] = [];
    for (let start = 0; start < packed.count + 2; start += 2) {
      unpackTensors(packed, sliced, start, start + 2);
    }
    expect(sliced).toEqual(whole);
  });

  it('round-trips any tensor list (property)', () => {
    const tensor = fc.record({
      name: fc.string({ unit: 'binary' }),
      dtype: fc.constantFrom(...DTYPES),
      shape: fc.array(fc.nat(), { maxLength: 5 }),
      offset: fc.nat(),
      nbytes: fc.nat(),
      elements: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(tensor, { maxLength: 20 }), (tensors) => {
        const out: TensorInfo[] = [];
        unpackTensors(packTensors(tensors), out);
        expect(out).toEqual(tensors);
      }),
      { numRuns: 25 },
    );
  });
});

describe('packHeader / unpackHeader', () => {
  it('gives back the header: fields, tensors in offset order, byName in JSON order', () => {
    const packed = packHeader(HEADER);
    expect(isPackedHeader(packed)).toBe(true);
    expect(isPackedHeader(HEADER)).toBe(false);
    // Through a real structured clone, as between a worker and the page.
    const back = unpackHeader(structuredClone(packed));
    expect(back).toEqual(structuredClone(HEADER));
    expect([...back.byName.keys()]).toEqual([...HEADER.byName.keys()]);
    for (const [name, t] of back.byName) {
      expect(back.tensors).toContain(t);
      expect(t.name).toBe(name);
    }
  });

  it('a header whose JSON order is its offset order packs byName as the identity and round-trips', () => {
    const ordered = parsed(
      JSON.stringify({
        a: { dtype: 'U8', shape: [4], data_offsets: [0, 4] },
        b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
      }),
    );
    const packed = packHeader(ordered);
    expect([...packed.byNameOrder]).toEqual([0, 1]);
    const back = unpackHeader(structuredClone(packed));
    expect(back).toEqual(structuredClone(ordered));
    expect([...back.byName.keys()]).toEqual(['a', 'b']);
  });

  it("fillByName slice by slice gives byName in the header's order", () => {
    const packed = packHeader(HEADER);
    const tensors: TensorInfo[] = [];
    unpackTensors(packed.packed, tensors);
    const byName = new Map<string, TensorInfo>();
    for (let start = 0; start < HEADER.byName.size; start += 2) {
      fillByName(packed, tensors, byName, start, start + 2);
    }
    const back = headerWithTensors(packed, tensors, byName);
    expect([...back.byName.keys()]).toEqual([...HEADER.byName.keys()]);
    expect(back.byName).toBe(byName);
  });

  it('headerWithTensors shares the given tensor objects', () => {
    const packed = packHeader(HEADER);
    const tensors: TensorInfo[] = [];
    unpackTensors(packed.packed, tensors);
    const back = headerWithTensors(packed, tensors);
    expect(back.tensors).toBe(tensors);
    expect(back.byName.get('empty')).toBe(tensors.find((t) => t.name === 'empty'));
  });
});
