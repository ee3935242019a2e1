import { useEffect, useRef, useState } from 'react';
import type { LayerGrid } from '../../../core/layout/layer-grid';
import type { TensorRow } from '../../model/tensor-row';
import { createGridCache, sameTensors } from './row-grid';
import { groupRowsInSlices } from './sliced-grid';

/**
 * Up to this many rows the grid is grouped during the render (about 50 ms); past it, in slices
 * off the render path, the heatmap saying "laying out" meanwhile (a million rows: ~2.5 s).
 */
export const SYNC_GROUP_MAX_ROWS = 20_000;

interface Grouped {
  readonly rows: readonly TensorRow[];
  readonly grid: LayerGrid<number>;
}

interface Job {
  readonly rows: readonly TensorRow[];
  cancelled: boolean;
}

/**
 * The rows' layer x module grid, or null while a large checkpoint's grid is being built; kept
 * while only stats change (the grid depends on names only), rebuilt when the tensors change.
 */
export function useRowGrid(rows: readonly TensorRow[]): LayerGrid<number> | null {
  const [gridCache] = useState(createGridCache);
  const [grouped, setGrouped] = useState<Grouped | null>(null);
  const job = useRef<Job | null>(null);
  const small = rows.length <= SYNC_GROUP_MAX_ROWS;
  const ready = !small && grouped !== null && sameTensors(grouped.rows, rows) ? grouped.grid : null;

  useEffect(() => {
    if (small || ready !== null) {
      if (job.current !== null) {
        job.current.cancelled = true;
        job.current = null;
      }
      return;
    }
    const running = job.current;
    if (running !== null && sameTensors(running.rows, rows)) {
      return;
    }
    if (running !== null) {
      running.cancelled = true;
    }
    const mine: Job = { rows, cancelled: false };
    job.current = mine;
    void groupRowsInSlices(rows, () => mine.cancelled).then((grid) => {
      if (grid !== null && !mine.cancelled) {
        job.current = null;
        setGrouped({ rows: mine.rows, grid });
      }
    });
  }, [rows, small, ready]);

  useEffect(
    () => () => {
      if (job.current !== null) {
        job.current.cancelled = true;
      }
    },
    [],
  );

  return small ? gridCache.gridFor(rows) : ready;
}
