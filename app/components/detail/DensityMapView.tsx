import type { MouseEvent, ReactNode } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { densityCellCounts } from '../../../core/scan/density-map';
import type { DensityMap } from '../../../core/scan/tensor-stats';
import { densityCells } from './density-cells';
import type { DensityCell } from './density-cells';
import {
  axisTicks,
  cellAt,
  drawOrder,
  markerAt,
  markerRect,
  PLOT_HEIGHT_PX,
  PLOT_WIDTH_PX,
  readout,
} from './density-plot';

/** Used when the theme variables cannot be read (e.g. detached canvas). */
const FALLBACK_COLOURS = { bad: '#d0312d', warn: '#a35f00', empty: '#f4f5f7' } as const;

function cssColour(element: Element, name: string, fallback: string): string {
  const value = getComputedStyle(element).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** The frame at device resolution, markers at least MIN_MARKER_PX (see density-plot.ts). */
function paint(canvas: HTMLCanvasElement, map: DensityMap, drawn: readonly DensityCell[]): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) {
    return;
  }
  const ratio = canvas.width / PLOT_WIDTH_PX;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const nan = cssColour(canvas, '--bad', FALLBACK_COLOURS.bad);
  const inf = cssColour(canvas, '--warn', FALLBACK_COLOURS.warn);
  ctx.globalAlpha = 1;
  ctx.fillStyle = cssColour(canvas, '--bg-alt', FALLBACK_COLOURS.empty);
  ctx.fillRect(0, 0, PLOT_WIDTH_PX, PLOT_HEIGHT_PX);
  for (const cell of drawn) {
    const r = markerRect(map, cell.i, cell.j);
    ctx.globalAlpha = cell.alpha;
    ctx.fillStyle = cell.kind === 'nan' ? nan : inf;
    ctx.fillRect(r.x, r.y, r.width, r.height);
  }
  ctx.globalAlpha = 1;
}

interface HoveredCell {
  readonly i: number;
  readonly j: number;
}

/**
 * Where NaN (red) and Inf (amber) sit in the tensor viewed as [rows, cols], in a frame of fixed
 * aspect with element-index ticks; darker = more. Hovering reads out (row, col) and the value, or
 * the range a binned cell covers and its counts.
 */
export function DensityMapView({
  map,
  flat = false,
}: {
  map: DensityMap;
  /** A 1-D tensor: the readout gives indices, not (row, col). */
  flat?: boolean;
}): ReactNode {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hovered, setHovered] = useState<HoveredCell | null>(null);
  const drawn = useMemo(() => drawOrder(densityCells(map)), [map]);
  const ratio = Math.max(1, Math.round(window.devicePixelRatio || 1));
  const rowTicks = axisTicks(map.rows, map.cellRows, PLOT_HEIGHT_PX);
  const colTicks = axisTicks(map.cols, map.cellCols, PLOT_WIDTH_PX);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) {
      return undefined;
    }
    const repaint = (): void => paint(canvas, map, drawn);
    repaint();
    // The colours are theme variables: repaint when the theme switches.
    const observer = new MutationObserver(repaint);
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme', 'class'],
    });
    return () => observer.disconnect();
  }, [map, drawn, ratio]);

  const onMouseMove = (e: MouseEvent<HTMLCanvasElement>): void => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * PLOT_WIDTH_PX;
    const y = ((e.clientY - rect.top) / rect.height) * PLOT_HEIGHT_PX;
    setHovered(markerAt(map, drawn, x, y) ?? cellAt(map, x, y));
  };

  const counts =
    hovered === null ? null : densityCellCounts(map, hovered.i * map.cellCols + hovered.j);
  const binned = map.cellRows < map.rows || map.cellCols < map.cols;
  return (
    <figure className="td-density">
      <div className="td-density-grid">
        <span className="td-axis-title-y">row</span>
        <div className="td-ticks-y" style={{ height: PLOT_HEIGHT_PX }} aria-hidden="true">
          {rowTicks.map((t) => (
            <span key={t.index} style={{ top: t.at }}>
              {t.index}
            </span>
          ))}
        </div>
        <canvas
          ref={canvasRef}
          data-testid="density-map"
          width={PLOT_WIDTH_PX * ratio}
          height={PLOT_HEIGHT_PX * ratio}
          style={{ width: PLOT_WIDTH_PX, height: PLOT_HEIGHT_PX }}
          role="img"
          aria-label={`NaN and Inf map over ${map.rows} rows and ${map.cols} columns`}
          onMouseMove={onMouseMove}
          onMouseLeave={() => setHovered(null)}
        />
        <div
          className="td-ticks-x"
          style={{ width: PLOT_WIDTH_PX }}
          aria-hidden="true"
          data-testid="density-ticks-x"
        >
          {colTicks.map((t) => (
            <span key={t.index} style={{ left: t.at }}>
              {t.index}
            </span>
          ))}
        </div>
        <span className="td-axis-title-x">col</span>
      </div>
      <figcaption className="td-muted" data-testid="density-readout" aria-live="polite">
        {hovered === null || counts === null
          ? `${map.rows} × ${map.cols}${binned ? ` in ${map.cellRows} × ${map.cellCols} cells` : ''}; red NaN, amber Inf, darker = more. Hover for ${flat ? 'the index' : '(row, col)'}.`
          : readout(map, hovered.i, hovered.j, counts.nan, counts.inf, flat)}
      </figcaption>
    </figure>
  );
}
