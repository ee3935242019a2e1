import { describe, expect, it } from 'vitest';
import { JsonReader } from './json-reader';
import { parseIndex } from './parse-index';

const index = (totalSize: string): Uint8Array =>
  new TextEncoder().encode(
    `{"metadata":{"total_size":${totalSize}},"weight_map":{"a":"model-00001-of-00001.safetensors"}}`,
  );

describe("an index's total_size out of f64 range", () => {
  it('is a problem with total_size (one warning), not an invalid index', () => {
    const parsed = parseIndex('model.safetensors.index.json', index('1e400'));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.totalSize).toBeNull();
      expect(parsed.value.totalSizeProblem).toBe(
        'metadata.total_size 1e400 is not a non-negative whole number',
      );
      expect(parsed.value.weightMap.get('a')).toBe('model-00001-of-00001.safetensors');
    }
  });

  it('still refuses such numbers where serde_json would (headers)', () => {
    expect(() => new JsonReader('1e400').readNumber()).toThrow();
    expect(new JsonReader('1e400').readNumber('keep')).toEqual({ text: '1e400', integer: null });
  });
});
