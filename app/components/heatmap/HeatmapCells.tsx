import { useLayoutEffect, useRef } from 'react';
import { buildCellLayer, updateCellLayer } from './cell-layer';
import type { CellDom, CellLayer, CellPaint } from './cell-layer';
import type { HeatmapLayout } from './heatmap-layout';

interface HeatmapCellsProps extends CellPaint {
  readonly layout: HeatmapLayout;
}

function domFor(host: HTMLElement): CellDom<HTMLDivElement> {
  return {
    create: () => host.ownerDocument.createElement('div'),
    mount: (nodes) => {
      const fragment = host.ownerDocument.createDocumentFragment();
      for (const node of nodes) {
        fragment.appendChild(node);
      }
      host.replaceChildren(fragment);
    },
  };
}

/**
 * The grid cells. React renders only the empty host; the cells are built and repainted by
 * cell-layer.ts (see there why). A new layout rebuilds, new stats or metric only repaint.
 */
export function HeatmapCells({ layout, summaries, classNames, titles }: HeatmapCellsProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const layerRef = useRef<CellLayer<HTMLDivElement> | null>(null);

  useLayoutEffect(() => {
    const host = hostRef.current;
    if (host === null) {
      return;
    }
    const paint = { summaries, classNames, titles };
    const layer = layerRef.current;
    if (layer === null || layer.layout !== layout) {
      layerRef.current = buildCellLayer(domFor(host), layout, paint);
    } else {
      updateCellLayer(layer, paint);
    }
  }, [layout, summaries, classNames, titles]);

  return (
    <div
      ref={hostRef}
      className="hm-cells"
      style={{ gridTemplateColumns: `repeat(${layout.columnLabels.length}, var(--hm-cell-w))` }}
    />
  );
}
