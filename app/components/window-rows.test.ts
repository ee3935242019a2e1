import type { VirtualItem } from '@tanstack/react-virtual';
import { describe, expect, it } from 'vitest';
import { windowRows } from './window-rows';

const item = (index: number): VirtualItem => ({
  key: index,
  index,
  start: index * 10,
  end: index * 10 + 10,
  size: 10,
  lane: 0,
});

describe('windowRows', () => {
  const list = ['a', 'b', 'c', 'd'];
  const render = (row: string, index: number, at: VirtualItem | null): string =>
    `${row}${index}@${at === null ? '-' : at.start}`;

  it('renders every row without a window', () => {
    expect(windowRows(list, null, render)).toEqual(['a0@-', 'b1@-', 'c2@-', 'd3@-']);
  });

  it('renders the window, skipping items past the end of a list that got shorter', () => {
    expect(windowRows(list, [item(1), item(2)], render)).toEqual(['b1@10', 'c2@20']);
    expect(windowRows(list, [item(3), item(4), item(5)], render)).toEqual(['d3@30']);
  });
});
