import { describe, expect, it } from 'vitest';
import { makeRow } from '../table/test-rows';
import { NOT_APPLICABLE, statFields } from './stats-fields';

function byLabel(
  fields: ReturnType<typeof statFields>,
): Record<string, { value: string; tone: string }> {
  return Object.fromEntries(fields.map((f) => [f.label, { value: f.value, tone: f.tone }]));
}

describe('statFields', () => {
  it('lists layout and scan statistics with tones', () => {
    const row = makeRow('w', {
      dtype: 'F8_E4M3',
      shape: [1024, 2],
      nbytes: 2048,
      stats: { nan: 1234, posInf: 0, negInf: 0, saturated: 7, min: -448, max: null, mean: 0.125 },
    });
    const fields = byLabel(statFields(row));
    expect(fields['Dtype'].value).toBe('F8_E4M3');
    expect(fields['Shape'].value).toBe('[1024, 2]');
    expect(fields['Elements'].value).toBe('2,048');
    expect(fields['Bytes'].value).toBe('2 KiB (2,048 B)');
    expect(fields['File'].value).toBe('model.safetensors');
    expect(byLabel(statFields(makeRow('s', { nbytes: 8 })))['Bytes'].value).toBe('8 B');
    expect(fields['Byte offset'].value).toBe('8 (0x8)');
    expect(fields['NaN']).toEqual({ value: '1,234', tone: 'bad' });
    expect(fields['+Inf']).toEqual({ value: '0', tone: 'plain' });
    expect(fields['Saturated']).toEqual({ value: '7', tone: 'warn' });
    expect(fields['Min'].value).toBe('-448');
    expect(fields['Max'].value).toBe('—');
    expect(fields['Mean'].value).toBe('0.125');
  });
  it('marks scan values pending before the scan', () => {
    const fields = statFields(makeRow('w', { stats: null }));
    expect(fields).toHaveLength(18);
    expect(byLabel(fields)['NaN'].value).toBe('…');
    expect(byLabel(fields)['Std'].value).toBe('…');
  });
  it('does not apply NaN/Inf/subnormal to integer dtypes', () => {
    const fields = byLabel(statFields(makeRow('i', { dtype: 'I8', stats: { floatLike: false } })));
    expect(fields['NaN'].value).toBe(NOT_APPLICABLE);
    expect(fields['-Inf'].value).toBe(NOT_APPLICABLE);
    expect(fields['Subnormal'].value).toBe(NOT_APPLICABLE);
    expect(fields['Zero'].value).toBe('0');
  });
});

describe('statFields of a tensor decoded by role', () => {
  it('says the U8 bytes were decoded as E8M0 and shows the decoded NaN', () => {
    const row = makeRow('model.layers.1.mlp.experts.down_proj_scales', {
      dtype: 'U8',
      stats: { dtype: 'F8_E8M0', floatLike: true, nan: 1 },
    });
    const fields = byLabel(statFields(row));
    expect(fields['Dtype']?.value).toBe('U8, decoded as F8_E8M0');
    expect(fields['NaN']).toEqual({ value: '1', tone: 'bad' });
  });
});
