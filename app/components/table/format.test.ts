import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCompact,
  formatCount,
  formatHex,
  formatShape,
  formatValue,
  NO_VALUE,
  shortFileName,
} from './format';

describe('formatBytes', () => {
  it('keeps small sizes exact', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });
  it('uses binary units with at most three significant digits', () => {
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12.34 * 1024 ** 2)).toBe('12.3 MiB');
    expect(formatBytes(123.4 * 1024 ** 3)).toBe('123 GiB');
    expect(formatBytes(2 * 1024 ** 4)).toBe('2 TiB');
  });
});

describe('formatCount', () => {
  it('groups thousands regardless of the machine locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
  it('abbreviates counts for chart axes', () => {
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(12500)).toBe('12.5K');
    expect(formatCompact(3_000_000)).toBe('3M');
  });
});

describe('formatValue', () => {
  it('shows null as a dash', () => {
    expect(formatValue(null)).toBe(NO_VALUE);
  });
  it('spells out non-finite values and signed zero', () => {
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(-0)).toBe('-0');
  });
  it('uses six significant digits in the plain range', () => {
    expect(formatValue(448)).toBe('448');
    expect(formatValue(-0.015625)).toBe('-0.015625');
    expect(formatValue(1 / 3)).toBe('0.333333');
    expect(formatValue(57344)).toBe('57344');
  });
  it('uses exponent notation for very large and very small magnitudes', () => {
    expect(formatValue(2 ** 127)).toBe('1.70141e+38');
    expect(formatValue(2 ** -127)).toBe('5.87747e-39');
    expect(formatValue(1e6)).toBe('1e+6');
    expect(formatValue(-4.5e-5)).toBe('-4.5e-5');
    // Small scales (issue 12): no run of zeros to count.
    expect(formatValue(-0.001953125)).toBe('-1.95313e-3');
    expect(formatValue(0.00048828125)).toBe('4.88281e-4');
  });
});

describe('formatShape and formatHex', () => {
  it('formats shapes and codes', () => {
    expect(formatShape([])).toBe('[]');
    expect(formatShape([4096, 7168])).toBe('[4096, 7168]');
    expect(formatHex(0x7f)).toBe('0x7F');
    expect(formatHex(3)).toBe('0x03');
    expect(formatHex(0xa, 1)).toBe('0xA');
  });
});

describe('shortFileName', () => {
  it('shows the shard name without its folder and extension', () => {
    expect(shortFileName('ckpt/sub/model-00001-of-00002.safetensors')).toBe('model-00001-of-00002');
    expect(shortFileName('weights.bin')).toBe('weights.bin');
  });
});
