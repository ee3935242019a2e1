import { describe, expect, it } from 'vitest';
import {
  encodingOfDtype,
  holdsByteScale,
  isFp8,
  isPackedNibbles,
  isWideFloat,
} from './scale-encoding';

describe('scale-encoding', () => {
  it('reads the encoding a dtype implies', () => {
    expect(encodingOfDtype('F8_E4M3')).toBe('e4m3');
    expect(encodingOfDtype('F8_E8M0')).toBe('e8m0');
    expect(encodingOfDtype('U8')).toBe('float');
    expect(encodingOfDtype('F16')).toBe('float');
  });
  it('classifies storage dtypes', () => {
    expect(holdsByteScale('U8', 'e4m3')).toBe(true);
    expect(holdsByteScale('F8_E8M0', 'e4m3')).toBe(false);
    expect(isWideFloat('BF16')).toBe(true);
    expect(isWideFloat('F8_E4M3')).toBe(false);
    expect(isFp8('F8_E5M2')).toBe(true);
    expect(isPackedNibbles('F4')).toBe(true);
    expect(isPackedNibbles('I8')).toBe(false);
  });
});
