import { describe, expect, it } from 'vitest';
import { sqnrColour, SQNR_HIGH_DB, SQNR_LOW_DB, SQNR_PIVOT_DB } from './sqnr-scale';

describe('sqnrColour', () => {
  it('diverges: red at the low end, neutral at the pivot, blue at the high end', () => {
    expect(sqnrColour(SQNR_LOW_DB)).toBe('rgb(200, 40, 40)');
    expect(sqnrColour(SQNR_PIVOT_DB)).toBe('rgb(236, 233, 226)');
    expect(sqnrColour(SQNR_HIGH_DB)).toBe('rgb(40, 90, 190)');
  });

  it('clamps beyond the ends', () => {
    expect(sqnrColour(-30)).toBe(sqnrColour(SQNR_LOW_DB));
    expect(sqnrColour(120)).toBe(sqnrColour(SQNR_HIGH_DB));
  });

  it('is halfway between red and neutral halfway to the pivot', () => {
    expect(sqnrColour((SQNR_LOW_DB + SQNR_PIVOT_DB) / 2)).toBe('rgb(218, 137, 133)');
  });
});
