import { describe, expect, it } from 'vitest';
import { isNavKey, moveActive } from './grid-navigation';
import { layoutLayerGrid } from './heatmap-layout';
import { groupRows } from './row-grid';
import { makeRow } from './test-rows';

// Grid (cell indices):   attn.q  mlp.up
//   layer 0                 0       1
//   layer 1                 -       2
//   layer 2                 3       -
// Outside strip: 4 (embed), 5 (lm_head)
const layout = layoutLayerGrid(
  groupRows([
    makeRow('model.embed_tokens.weight'),
    makeRow('layers.0.attn.q.weight'),
    makeRow('layers.0.mlp.up.weight'),
    makeRow('layers.1.mlp.up.weight'),
    makeRow('layers.2.attn.q.weight'),
    makeRow('lm_head.weight'),
  ]),
);

describe('moveActive', () => {
  it('starts at the first cell', () => {
    expect(moveActive(layout, null, 'ArrowDown')).toBe(0);
  });

  it('moves left and right in reading order, clamped', () => {
    expect(moveActive(layout, 0, 'ArrowLeft')).toBe(0);
    expect(moveActive(layout, 1, 'ArrowRight')).toBe(2);
    expect(moveActive(layout, 5, 'ArrowRight')).toBe(5);
  });

  it('moves up and down a column, skipping empty places', () => {
    expect(moveActive(layout, 0, 'ArrowDown')).toBe(3);
    expect(moveActive(layout, 3, 'ArrowUp')).toBe(0);
    expect(moveActive(layout, 0, 'ArrowUp')).toBe(0);
  });

  it('goes between the last row and the outside strip', () => {
    expect(moveActive(layout, 3, 'ArrowDown')).toBe(4);
    expect(moveActive(layout, 2, 'ArrowDown')).toBe(4);
    expect(moveActive(layout, 5, 'ArrowUp')).toBe(3);
  });

  it('jumps to the ends', () => {
    expect(moveActive(layout, 2, 'Home')).toBe(0);
    expect(moveActive(layout, 2, 'End')).toBe(5);
  });

  it('has nothing to move in an empty grid', () => {
    expect(moveActive(layoutLayerGrid(groupRows([])), null, 'Home')).toBeNull();
  });
});

describe('isNavKey', () => {
  it('knows the arrow keys only', () => {
    expect(isNavKey('ArrowUp')).toBe(true);
    expect(isNavKey('Enter')).toBe(false);
  });
});
