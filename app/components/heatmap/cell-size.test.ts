import { describe, expect, it } from 'vitest';
import { pickCellSize, showsLabel } from './cell-size';

describe('pickCellSize', () => {
  it('shrinks cells as columns grow', () => {
    expect(pickCellSize(8)).toBe('l');
    expect(pickCellSize(32)).toBe('m');
    expect(pickCellSize(64)).toBe('s');
    expect(pickCellSize(256)).toBe('xs');
  });
});

describe('showsLabel', () => {
  it('labels every column of wide cells and every 16th of the narrowest', () => {
    expect(showsLabel('l', 'column', 3)).toBe(true);
    expect(showsLabel('xs', 'column', 16)).toBe(true);
    expect(showsLabel('xs', 'column', 17)).toBe(false);
    expect(showsLabel('xs', 'row', 8)).toBe(true);
    expect(showsLabel('xs', 'row', 9)).toBe(false);
  });
});
