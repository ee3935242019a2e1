import { describe, expect, it } from 'vitest';
import { CONFIG_MAX_BYTES, readConfig } from './read-config';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('readConfig', () => {
  it('parses an object into plain values, keeping __proto__ as an own key', () => {
    const result = readConfig(
      'config.json',
      encode('{"model_type":"llama","__proto__":{"x":1},"n":[1,2]}'),
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      const value = result.value as Record<string, unknown>;
      expect(value['model_type']).toBe('llama');
      expect(Object.hasOwn(value, '__proto__')).toBe(true);
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    }
  });

  it.each([
    ['invalid JSON', encode('{"a":')],
    ['a top-level array', encode('[1]')],
    ['null', encode('null')],
    ['a BOM', Uint8Array.of(0xef, 0xbb, 0xbf, 0x7b, 0x7d)],
    ['invalid UTF-8', Uint8Array.of(0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d)],
  ])('refuses %s with ConfigInvalid naming the file', (_label, bytes) => {
    const result = readConfig('hf_quant_config.json', bytes);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('ConfigInvalid');
      expect(result.error.file).toBe('hf_quant_config.json');
    }
  });

  it('refuses input over the size cap without parsing it', () => {
    const huge = { length: CONFIG_MAX_BYTES + 1 } as unknown as Uint8Array;
    const result = readConfig('config.json', huge);
    expect(!result.ok && result.error.code).toBe('ConfigInvalid');
  });
});
