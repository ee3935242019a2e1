import { describe, expect, it } from 'vitest';
import {
  checkPolicy,
  DEFAULT_REPAIR_POLICY,
  describePolicy,
  formatPolicy,
  parseByte,
  parsePolicy,
} from './repair-policy';
import type { RepairPolicy } from './repair-policy';

const ACCEPTED: [string, RepairPolicy][] = [
  ['max', DEFAULT_REPAIR_POLICY],
  ['zero', { fp8: { kind: 'zero' }, e8m0: null, float: null }],
  ['byte:0x7E', { fp8: { kind: 'byte', value: 0x7e }, e8m0: null, float: null }],
  ['byte:0x7e', { fp8: { kind: 'byte', value: 0x7e }, e8m0: null, float: null }],
  ['byte:126', { fp8: { kind: 'byte', value: 126 }, e8m0: null, float: null }],
  ['byte:0', { fp8: { kind: 'byte', value: 0 }, e8m0: null, float: null }],
  ['byte:0x80', { fp8: { kind: 'byte', value: 0x80 }, e8m0: null, float: null }],
  ['max,e8m0:127', { fp8: { kind: 'max' }, e8m0: { byte: 127 }, float: null }],
  ['e8m0:0xFE', { fp8: { kind: 'max' }, e8m0: { byte: 0xfe }, float: null }],
  ['float-zero', { fp8: { kind: 'max' }, e8m0: null, float: 'zero' }],
  ['zero,float-max', { fp8: { kind: 'zero' }, e8m0: null, float: 'max' }],
  ['float-max,e8m0:0,byte:1', { fp8: { kind: 'byte', value: 1 }, e8m0: { byte: 0 }, float: 'max' }],
];

/** Each rejected text and a word its message must contain. */
const REJECTED: [string, string][] = [
  ['', 'empty'],
  ['MAX', 'unknown'],
  ['maximum', 'unknown'],
  [' max', 'unknown'],
  ['max,', 'empty item'],
  [',max', 'empty item'],
  ['max,,float-zero', 'empty item'],
  ['max,zero', 'two FP8'],
  ['byte:1,byte:2', 'two FP8'],
  ['float-zero,float-max', 'two float'],
  ['e8m0:1,e8m0:2', 'e8m0 twice'],
  ['byte', 'takes a byte'],
  ['byte:', 'takes a byte'],
  ['byte:256', 'takes a byte'],
  ['byte:0x100', 'takes a byte'],
  ['byte:-1', 'takes a byte'],
  ['byte:+1', 'takes a byte'],
  ['byte:07', 'takes a byte'],
  ['byte:1e2', 'takes a byte'],
  ['byte:0x', 'takes a byte'],
  ['byte: 1', 'takes a byte'],
  ['byte:0X7E', 'takes a byte'],
  ['byte:0x7F', 'itself NaN'],
  ['byte:255', 'itself NaN'],
  ['e8m0:255', 'itself NaN'],
  ['e8m0:0xff', 'itself NaN'],
  ['e8m0', 'takes a byte'],
  ['float', 'unknown'],
  ['float-inf', 'unknown'],
];

describe('parsePolicy', () => {
  it.each(ACCEPTED)('accepts %j', (text, expected) => {
    expect(parsePolicy(text)).toEqual({ ok: true, value: expected });
  });

  it.each(REJECTED)('rejects %j', (text, word) => {
    const result = parsePolicy(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(word);
  });

  it('round-trips through formatPolicy', () => {
    for (const [, policy] of ACCEPTED) {
      expect(parsePolicy(formatPolicy(policy))).toEqual({ ok: true, value: policy });
    }
    expect(formatPolicy(DEFAULT_REPAIR_POLICY)).toBe('max');
    expect(
      formatPolicy({ fp8: { kind: 'byte', value: 0x7e }, e8m0: { byte: 127 }, float: 'zero' }),
    ).toBe('byte:0x7E,e8m0:127,float-zero');
  });
});

describe('parseByte', () => {
  it('takes 0-255 in decimal or 0x hex, nothing else', () => {
    expect([parseByte('0'), parseByte('255'), parseByte('0x0'), parseByte('0xFf')]).toEqual([
      0, 255, 0, 255,
    ]);
    for (const bad of ['', '256', '00', '0x', '0x100', '-0', '1.0', ' 1', '0b1']) {
      expect(parseByte(bad)).toBeNull();
    }
  });
});

describe('checkPolicy', () => {
  it('rejects out-of-range and NaN replacement bytes built by hand', () => {
    expect(checkPolicy(DEFAULT_REPAIR_POLICY)).toBeNull();
    expect(checkPolicy({ fp8: { kind: 'byte', value: 300 }, e8m0: null, float: null })).toContain(
      '0-255',
    );
    expect(checkPolicy({ fp8: { kind: 'byte', value: 1.5 }, e8m0: null, float: null })).toContain(
      '0-255',
    );
    expect(checkPolicy({ fp8: { kind: 'max' }, e8m0: { byte: -1 }, float: null })).toContain(
      '0-255',
    );
    expect(checkPolicy({ fp8: { kind: 'byte', value: 0x7f }, e8m0: null, float: null })).toContain(
      'NaN',
    );
  });
});

describe('describePolicy', () => {
  it('says what each kind of tensor gets (scales positive), and labels float repairs lossy', () => {
    expect(describePolicy(DEFAULT_REPAIR_POLICY)).toBe(
      'F8_E4M3 NaN (0x7F/0xFF) scale → largest positive finite (0x7E, +448), ' +
        "except a destroyed block's scale → zero (0x00); " +
        'F8_E4M3 NaN (0x7F/0xFF) weight → largest finite of the same sign (0x7E/0xFE, ±448); ' +
        'F8_E8M0 NaN left as is; BF16/F16/F32 NaN and ±Inf left as is',
    );
    const all = describePolicy({
      fp8: { kind: 'byte', value: 0x38 },
      e8m0: { byte: 127 },
      float: 'max',
    });
    expect(all).toContain('→ 0x38 (1)');
    expect(all).toContain('→ 0x7F (2^0 = 1)');
    expect(all).toContain("a destroyed block's scale → the smallest, 0x00 (2^-127)");
    expect(all).toContain('largest finite, positive in scales, of the same sign elsewhere (lossy)');
    const zero = describePolicy({ fp8: { kind: 'zero' }, e8m0: null, float: 'zero' });
    expect(zero).toContain(
      'scale → +0 (0x00); F8_E4M3 NaN (0x7F/0xFF) weight → zero of the same sign',
    );
    expect(zero).toContain('zero, positive in scales, of the same sign elsewhere (lossy)');
  });
});
