import { describe, expect, it } from 'vitest';
import { JSON_DEPTH_BUDGET, JsonError, JsonReader, lineAndColumn } from './json-reader';

/** Runs `body` and returns the JsonError it throws (fails the test if it throws nothing else). */
function failure(body: () => void): JsonError {
  try {
    body();
  } catch (e) {
    if (e instanceof JsonError) {
      return e;
    }
    throw e;
  }
  throw new Error('expected a JsonError');
}

const skipAll = (text: string): void => {
  const reader = new JsonReader(text);
  reader.skipValue();
  reader.finish();
};

describe('JsonReader numbers', () => {
  it.each([
    ['0', 0n],
    ['8', 8n],
    ['18446744073709551615', 18446744073709551615n],
    ['18446744073709551616', 18446744073709551616n],
    ['-8', -8n],
    ['9007199254740993', 9007199254740993n],
  ])('keeps integer %s exactly', (text, value) => {
    expect(new JsonReader(text).readNumber()).toEqual({ text, integer: value });
  });

  it.each(['-0', '8.0', '8e0', '8E+0', '1.5e-3', '0.0'])('marks %s as not an integer', (text) => {
    expect(new JsonReader(text).readNumber().integer).toBeNull();
  });

  it.each(['08', '+8', '-', '.5', '1.', '1e', '1e+', '--1', '-a'])('refuses %s', (text) => {
    failure(() => skipAll(text));
  });

  it.each(['1e400', '-1e400', '9'.repeat(400)])(
    'refuses %s as out of range like serde_json',
    (text) => {
      expect(failure(() => skipAll(text)).detail).toBe('number out of range');
    },
  );

  it.each(['1e-400', '0e999999999999', '-0'])('accepts %s', (text) => {
    expect(() => skipAll(text)).not.toThrow();
  });
});

describe('JsonReader strings', () => {
  it.each([
    ['"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\/\b\f\n\r\t'],
    ['"\\u0041\\u00e9\\u00E9"', 'Aéé'],
    ['"\\ud83d\\ude00"', '\u{1f600}'],
    ['"a\\u0000b"', 'a\u0000b'],
    ['"\u007f\u00a0"', '\u007f\u00a0'],
  ])('decodes %s', (text, value) => {
    expect(new JsonReader(text).readString()).toBe(value);
  });

  it.each([
    ['"\\ud800"', 'unexpected end of hex escape'],
    ['"\\ud800x"', 'unexpected end of hex escape'],
    ['"\\udc00"', 'lone leading surrogate in hex escape'],
    ['"\\ud800\\u0041"', 'lone leading surrogate in hex escape'],
    ['"\\x"', 'invalid escape'],
    ['"\\u12"', 'EOF while parsing a string'],
    ['"\\u12g4"', 'invalid escape'],
    ['"abc', 'EOF while parsing a string'],
    ['"a\nb"', 'control character (\\u0000-\\u001F) found while parsing a string'],
    ['"a\u0000b"', 'control character (\\u0000-\\u001F) found while parsing a string'],
  ])('refuses %s', (text, detail) => {
    expect(failure(() => skipAll(text)).detail).toBe(detail);
  });
});

describe('JsonReader structure', () => {
  it.each(['{}', '[]', ' \t\r\n{"a":[1,{"b":null}],"c":true} \n', '[false,"x",-1.5e3]'])(
    'skips %s',
    (text) => {
      expect(() => skipAll(text)).not.toThrow();
    },
  );

  it.each([
    ['{"a":1,}', 'trailing comma'],
    ['[1,]', 'trailing comma'],
    ['{"a" 1}', 'expected `:`'],
    ['{1:2}', 'key must be a string'],
    ['[1 2]', 'expected `,` or `]`'],
    ['{"a":1 "b":2}', 'expected `,` or `}`'],
    ['{"a":1', 'EOF while parsing an object'],
    ['[1', 'EOF while parsing a list'],
    ['', 'EOF while parsing a value'],
    ['{}x', 'trailing characters'],
    ['{}\u00a0', 'trailing characters'],
    ['\ufeff{}', 'expected value'],
    ['nul', 'expected ident'],
    ['NaN', 'expected value'],
    ['[,1]', 'expected value'],
    ['{,}', 'key must be a string'],
  ])('refuses %s', (text, detail) => {
    expect(failure(() => skipAll(text)).detail).toBe(detail);
  });

  it('allows JSON_DEPTH_BUDGET - 1 nested containers and refuses one more, as serde_json does', () => {
    const nest = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    expect(() => skipAll(nest(JSON_DEPTH_BUDGET - 1))).not.toThrow();
    expect(failure(() => skipAll(nest(JSON_DEPTH_BUDGET))).detail).toBe('recursion limit exceeded');
    expect(failure(() => skipAll(nest(JSON_DEPTH_BUDGET + 1))).detail).toBe(
      'recursion limit exceeded',
    );
  });

  it('fails cleanly on a million open brackets (no JS recursion)', () => {
    expect(failure(() => skipAll('['.repeat(1_000_000))).detail).toBe('recursion limit exceeded');
    expect(failure(() => skipAll('{"a":'.repeat(200_000))).detail).toBe('recursion limit exceeded');
  });

  it('walks an object member by member', () => {
    const reader = new JsonReader('{"a":1,"b":[true,null],"c":"x"}');
    reader.beginObject();
    expect(reader.nextKey()).toBe('a');
    expect(reader.readNumber().integer).toBe(1n);
    expect(reader.nextKey()).toBe('b');
    expect(reader.peek()).toBe('array');
    reader.beginArray();
    expect(reader.nextItem()).toBe(true);
    expect(reader.readBoolean()).toBe(true);
    expect(reader.nextItem()).toBe(true);
    reader.readNull();
    expect(reader.nextItem()).toBe(false);
    expect(reader.nextKey()).toBe('c');
    expect(reader.readString()).toBe('x');
    expect(reader.nextKey()).toBeNull();
    expect(reader.depth).toBe(0);
    reader.finish();
  });

  it('skips exactly one value and leaves the reader after it', () => {
    const reader = new JsonReader('[{"x":[1,2,{"y":[]}]},"after"]');
    reader.beginArray();
    expect(reader.nextItem()).toBe(true);
    reader.skipValue();
    expect(reader.nextItem()).toBe(true);
    expect(reader.readString()).toBe('after');
    expect(reader.nextItem()).toBe(false);
  });
});

describe('lineAndColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
