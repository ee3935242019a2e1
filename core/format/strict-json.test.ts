import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from './strict-json';
import { jsonU64, parseStrictJson } from './strict-json';

function parsed(text: string): JsonValue {
  const result = parseStrictJson(text);
  if (!result.ok) {
    throw new Error(`unexpected parse error: ${result.error.detail}`);
  }
  return result.value;
}

/** The strict tree as the plain value JSON.parse would give (last duplicate wins), for comparison. */
function toPlain(value: JsonValue): unknown {
  switch (value.kind) {
    case 'null':
      return null;
    case 'boolean':
    case 'string':
      return value.value;
    case 'number':
      return Number(value.text);
    case 'array':
      return value.items.map(toPlain);
    case 'object': {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const e of value.entries) {
        Object.defineProperty(out, e.key, {
          value: toPlain(e.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
  }
}

describe('parseStrictJson', () => {
  it('keeps duplicate keys in order and flags them', () => {
    const value = parsed('{"a":1,"b":2,"a":3}');
    expect(value.kind).toBe('object');
    if (value.kind === 'object') {
      expect(value.entries.map((e) => e.key)).toEqual(['a', 'b', 'a']);
      expect(value.hasDuplicateKeys).toBe(true);
    }
    const single = parsed('{"a":{"a":1},"b":{}}');
    expect(single.kind === 'object' && single.hasDuplicateKeys).toBe(false);
  });

  it('keeps __proto__ and constructor as ordinary keys', () => {
    const value = parsed('{"__proto__":{"polluted":true},"constructor":1,"":2}');
    expect(value.kind === 'object' && value.entries.map((e) => e.key)).toEqual([
      '__proto__',
      'constructor',
      '',
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps integers beyond 2^53 exactly', () => {
    const value = parsed('[9007199254740993, 18446744073709551615]');
    expect(value.kind === 'array' && value.items.map(jsonU64)).toEqual([
      9007199254740993n,
      18446744073709551615n,
    ]);
  });

  it.each([
    ['18446744073709551615', 18446744073709551615n],
    ['0', 0n],
    ['18446744073709551616', null],
    ['-8', null],
    ['-0', null],
    ['8.0', null],
    ['8e0', null],
    ['"8"', null],
  ])('jsonU64(%s)', (text, expected) => {
    expect(jsonU64(parsed(text))).toBe(expected);
  });

  it('reports position, line and column', () => {
    const result = parseStrictJson('{\n  "a": 1,\n}');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ detail: 'trailing comma', line: 3, column: 1 });
    }
  });

  it('builds deep (127) trees without recursion limits of its own and refuses 128', () => {
    expect(parseStrictJson('['.repeat(127) + ']'.repeat(127)).ok).toBe(true);
    expect(parseStrictJson('['.repeat(128) + ']'.repeat(128)).ok).toBe(false);
  });

  it('agrees with JSON.parse on JSON.stringify output', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        expect(toPlain(parsed(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary text, and accepts only what JSON.parse accepts', () => {
    const alphabet = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      'u',
      'd800',
      '0',
      '1',
      '-',
      '.',
      'e',
      'null',
      'true',
      ' ',
      '\n',
      'a',
      '\u00a0',
      '\ufeff',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }), (tokens) => {
        const text = tokens.join('');
        const result = parseStrictJson(text);
        if (result.ok) {
          expect(() => JSON.parse(text) as unknown).not.toThrow();
        }
      }),
      { numRuns: 3000 },
    );
  });
});
