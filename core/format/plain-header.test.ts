import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dtype } from '../dtype/dtype';
import { DTYPES, dtypeBits } from '../dtype/dtype';
import { parseHeaderText } from './parse-header';
import { readPlainHeader } from './plain-header';
import type { SafetensorsHeader } from './tensor-info';

/** Bounded runs: each property finishes in about a second. */
const RUNS = 1000;

const FILE = 'f.safetensors';
const PREFIX = 8;

/** Names the general path reads from JSON text (escaped ones leave the plain path). */
const NAMES = ['w', 'b', '__proto__', 'constructor', '', 'é', 'layer.0.weight', 'a"b', 'a\\b', '𝔵'];

/** Dimensions: small, and the edges of exact doubles and of u64. */
const dimension = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 5 }).map(BigInt) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      2n ** 20n,
      10n ** 15n - 1n,
      10n ** 15n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 64n - 1n,
    ),
  },
);

interface EntrySpec {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly bigint[];
  /** How the entry is written: the object form with fields in some order, or another form. */
  readonly form: 'object' | 'reversed' | 'array' | 'dtype-object' | 'extra-field' | 'dup-field';
  /** Bytes added to the span the shape needs (0: right). */
  readonly skew: bigint;
}

/** Anything the general path may read or refuse. */
const anyEntry: fc.Arbitrary<EntrySpec> = fc.record({
  name: fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 4 })),
  dtype: fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom<string>(...DTYPES) },
    { weight: 1, arbitrary: fc.constantFrom('E8M0', 'f32', 'F8_E4M3F', '') },
  ),
  shape: fc.array(dimension, { maxLength: 4 }),
  form: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('object' as const, 'reversed' as const) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'array' as const,
        'dtype-object' as const,
        'extra-field' as const,
        'dup-field' as const,
      ),
    },
  ),
  skew: fc.oneof(
    { weight: 9, arbitrary: fc.constant(0n) },
    { weight: 1, arbitrary: fc.constant(1n) },
  ),
});

/** Plain names: no quote, backslash or control character, so JSON.stringify adds no escape. */
const plainName = fc
  .string({ maxLength: 6, unit: 'grapheme' })
  .filter((n) => JSON.stringify(n) === `"${n}"`);

/** Entries of the usual form, sized right, with small dimensions (names made unique later). */
const usualEntry: fc.Arbitrary<EntrySpec> = fc
  .record({
    name: plainName,
    dtype: fc.constantFrom<Dtype>(...DTYPES),
    shape: fc.array(fc.integer({ min: 0, max: 300 }).map(BigInt), { maxLength: 4 }),
    form: fc.constantFrom('object' as const, 'reversed' as const),
    skew: fc.constant(0n),
  })
  .map((e) => {
    // Whole bytes for every dtype (F4: 2 elements, F6: 4): pad with a dimension of 8 as needed.
    const bits = e.shape.reduce((n, d) => n * d, 1n) * BigInt(dtypeBits(e.dtype));
    return bits % 8n === 0n ? e : { ...e, shape: [...e.shape, 8n] };
  });

/** A header's text and the file size around it, with tensors laid out in some order. */
interface HeaderCase {
  readonly text: string;
  readonly fileSize: number;
}

function headerCase(usual: boolean): fc.Arbitrary<HeaderCase> {
  const string = usual ? plainName : fc.string({ maxLength: 3 });
  return fc
    .record({
      entries: usual
        ? fc.uniqueArray(usualEntry, { maxLength: 6, selector: (e) => e.name })
        : fc.array(anyEntry, { maxLength: 6 }),
      /** Layout order of the data: entry i's bytes come at position order[i] when sorted. */
      order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
      metadata: fc.option(
        usual
          ? fc.uniqueArray(fc.tuple(plainName, string), { maxLength: 3, selector: ([k]) => k })
          : fc.array(fc.tuple(fc.constantFrom('format', 'k', 'a\\b', ''), string), {
              maxLength: 3,
            }),
      ),
      metadataAt: fc.nat(),
      withMetadata: fc.boolean(),
      space: fc.constantFrom('', ' ', '\n\t', '\r'),
      trailing: usual ? fc.constantFrom('', '   ') : fc.constantFrom('', '   ', ' x'),
      fileSkew: usual
        ? fc.constant(0)
        : fc.oneof(
            { weight: 9, arbitrary: fc.constant(0) },
            { weight: 1, arbitrary: fc.constantFrom(-1, 1) },
          ),
    })
    .map(({ entries, order, metadata, metadataAt, withMetadata, space, trailing, fileSkew }) => {
      const s = space;
      // Sizes as the shape needs them (u64 arithmetic; never written past 2^64).
      const spans = entries.map((e) => {
        const bits = e.shape.reduce((n, d) => n * d, 1n) * BigInt(dtypeBits(asDtype(e.dtype)));
        return bits / 8n + e.skew;
      });
      // Offsets in the order given by `order` (ties by index), so entries are often out of order.
      const layout = entries.map((_, i) => i).sort((a, b) => order[a] - order[b] || a - b);
      const begins = new Array<bigint>(entries.length).fill(0n);
      let at = 0n;
      for (const i of layout) {
        begins[i] = at;
        at += spans[i];
      }
      const members = entries.map((e, i) => {
        const dtype = e.form === 'dtype-object' ? `{${s}"${e.dtype}":${s}null}` : `"${e.dtype}"`;
        const shape = `[${s}${e.shape.join(`${s},${s}`)}${s}]`;
        const offsets = `[${begins[i]},${s}${begins[i] + spans[i]}]`;
        const fields = [
          `"dtype":${s}${dtype}`,
          `"shape"${s}:${shape}`,
          `"data_offsets":${offsets}`,
        ];
        let value: string;
        switch (e.form) {
          case 'array':
            value = `[${dtype},${s}${shape},${offsets}]`;
            break;
          case 'reversed':
            value = `{${s}${fields.reverse().join(`,${s}`)}${s}}`;
            break;
          case 'extra-field':
            value = `{${[...fields, '"x":[1]'].join(',')}}`;
            break;
          case 'dup-field':
            value = `{${[...fields, fields[0]].join(',')}}`;
            break;
          default:
            value = `{${fields.join(`,${s}`)}}`;
        }
        return `${JSON.stringify(e.name)}${s}:${s}${value}`;
      });
      if (withMetadata) {
        const meta =
          metadata === null
            ? 'null'
            : `{${metadata.map(([k, v]) => `${JSON.stringify(k)}:${s}${JSON.stringify(v)}`).join(',')}}`;
        members.splice(metadataAt % (members.length + 1), 0, `"__metadata__":${s}${meta}`);
      }
      const text = `${s}{${s}${members.join(`,${s}`)}${s}}${trailing}`;
      const dataLength = Number(at) + fileSkew;
      return { text, fileSize: PREFIX + utf8Length(text) + Math.max(0, dataLength) };
    });
}

function asDtype(name: string): Dtype {
  return DTYPES.find((d) => d === name) ?? 'U8';
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** What the general path makes of a header, or null when it refuses it. */
function general(c: HeaderCase): SafetensorsHeader | null {
  const result = parseHeaderText(FILE, c.fileSize, utf8Length(c.text), c.text);
  return result.ok ? result.value : null;
}

function plain(c: HeaderCase): SafetensorsHeader | null {
  return readPlainHeader(FILE, c.fileSize, utf8Length(c.text), c.text);
}

/** Plain-path results must equal the general path's, `byName`'s order included. */
function expectSame(fast: SafetensorsHeader, slow: SafetensorsHeader | null): void {
  expect(fast).toEqual(slow);
  expect([...fast.byName.keys()]).toEqual([...(slow?.byName.keys() ?? [])]);
  expect(fast.tensors.map((t) => t.name)).toEqual(slow?.tensors.map((t) => t.name));
  fast.tensors.forEach((t, i) => expect(fast.byName.get(t.name)).toBe(fast.tensors[i]));
  // Made once, when first read.
  expect(fast.byName).toBe(fast.byName);
  expect(fast.byName).toBeInstanceOf(Map);
}

/** Small edits of the text: the plain grammar's edges (numbers, commas, brackets, escapes). */
const TOKENS = ['{', '}', '[', ']', ',', ':', '"', '\\', '0', '9', '-', '.', 'e', ' ', '\u00a0'];
const edit = fc.record({
  at: fc.nat(),
  remove: fc.integer({ min: 0, max: 2 }),
  insert: fc.oneof(fc.constant(''), fc.constantFrom(...TOKENS)),
});

describe('readPlainHeader', () => {
  it('returns exactly what the general path returns, or leaves it to it', () => {
    fc.assert(
      fc.property(headerCase(false), (c) => {
        const fast = plain(c);
        if (fast !== null) {
          expectSame(fast, general(c));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees on edited headers as well', () => {
    fc.assert(
      fc.property(
        fc.oneof(headerCase(true), headerCase(false)),
        fc.array(edit, { minLength: 1, maxLength: 2 }),
        (c, edits) => {
          let text = c.text;
          for (const e of edits) {
            const at = e.at % (text.length + 1);
            text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
          }
          const edited = { text, fileSize: c.fileSize };
          const fast = plain(edited);
          if (fast !== null) {
            expectSame(fast, general(edited));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('reads the usual headers itself, in or out of offset order', () => {
    fc.assert(
      fc.property(headerCase(true), (c) => {
        const fast = plain(c);
        expect(fast).not.toBeNull();
        if (fast !== null) {
          expectSame(fast, general(c));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('gives tensors of one dtype and shape one shared shape array, and others their own', () => {
    const e = (dtype: string, shape: string, begin: number, end: number): string =>
      `{"dtype":"${dtype}","shape":${shape},"data_offsets":[${begin},${end}]}`;
    const text = `{"a":${e('U8', '[2,8]', 0, 16)},"b":${e('F32', '[]', 16, 20)},"c":${e('U8', '[2,8]', 20, 36)},"d":${e('U8', '[2,1]', 36, 38)},"e":${e('U8', '[2,1]', 38, 40)},"f":${e('I8', '[2,1]', 40, 42)},"g":${e('F32', '[]', 42, 46)}}`;
    const fast = readPlainHeader(FILE, PREFIX + text.length + 46, text.length, text);
    const slow = parseHeaderText(FILE, PREFIX + text.length + 46, text.length, text);
    if (fast === null || !slow.ok) {
      throw new Error('both paths must read this header');
    }
    expectSame(fast, slow.value);
    const shape = (name: string): readonly number[] | undefined => fast?.byName.get(name)?.shape;
    expect(shape('c')).toBe(shape('a'));
    expect(shape('g')).toBe(shape('b'));
    expect(shape('e')).toBe(shape('d'));
    expect(shape('d')).not.toBe(shape('a'));
    expect(shape('f')).not.toBe(shape('e')); // another dtype
    expect(shape('f')).toEqual([2, 1]);
  });

  it('leaves duplicate names, escapes, other forms and every invalid header to the general path', () => {
    const entry = '{"dtype":"U8","shape":[2],"data_offsets":[0,2]}';
    const leaves = [
      `{"a":${entry},"a":${entry}}`,
      `{"a\\u0062":${entry}}`,
      `{"a":["U8",[2],[0,2]]}`,
      `{"a":{"dtype":{"U8":null},"shape":[2],"data_offsets":[0,2]}}`,
      `{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"x":1}}`,
      `{"a":{"dtype":"U8","shape":[2.0],"data_offsets":[0,2]}}`,
      `{"a":{"dtype":"U8","shape":[02],"data_offsets":[0,2]}}`,
      `{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2,]}}`,
      `{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,3]}}`,
      `{"a":{"dtype":"u8","shape":[2],"data_offsets":[0,2]}}`,
      `{"a":{"dtype":"U8","shape":[0000000000000000002],"data_offsets":[0,2]}}`,
      `{"__metadata__":{"k":"v","k":"w"},"a":${entry}}`,
      `{"__metadata__":null,"__metadata__":null,"a":${entry}}`,
      `{"a":${entry}} x`,
      `\ufeff{"a":${entry}}`,
    ];
    for (const text of leaves) {
      expect(
        readPlainHeader(FILE, PREFIX + utf8Length(text) + 2, utf8Length(text), text),
        text,
      ).toBeNull();
    }
    const ok = `{"__metadata__":{"format":"pt"},"a":${entry}}  `;
    expect(readPlainHeader(FILE, PREFIX + ok.length + 2, ok.length, ok)).not.toBeNull();
  });
});
