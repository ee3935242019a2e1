import type { VirtualItem } from '@tanstack/react-virtual';
import type { ReactNode } from 'react';

/**
 * The rows a list renders: every one when `items` is null (a short list, in normal flow), else
 * those of the virtualizer's window. `render` gets the row, its index in `list`, and its virtual
 * item (null when every row renders).
 */
export function windowRows<T>(
  list: readonly T[],
  items: readonly VirtualItem[] | null,
  render: (row: T, index: number, item: VirtualItem | null) => ReactNode,
): ReactNode[] {
  if (items === null) {
    return list.map((row, i) => render(row, i, null));
  }
  const out: ReactNode[] = [];
  for (const item of items) {
    const row = list[item.index];
    // The window can be one render behind a list that just got shorter.
    if (row !== undefined) {
      out.push(render(row, item.index, item));
    }
  }
  return out;
}
