import type { MouseEvent, ReactNode } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { densityCellCounts } from '../../../core/scan/density-map';
import type { DensityMap } from '../../../core/scan/tensor-stats';
import { formatCount } from '../table/format';
import { cellRange, densityCells, densityDisplaySize } from './density-cells';

/** Used when the theme variables cannot be read (e.g. detached canvas). */
const FALLBACK_COLOURS = { bad: '#d0312d', warn: '#d98a00', empty: '#f4f5f7' } as const;

function cssColour(element: Element, name: string, fallback: string): string {
  const value = getComputedStyle(element).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** One canvas pixel per cell; CSS scales it up with `image-rendering: pixelated`. */
function paint(canvas: HTMLCanvasElement, map: DensityMap): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) {
    return;
  }
  const nan = cssColour(canvas, '--bad', FALLBACK_COLOURS.bad);
  const inf = cssColour(canvas, '--warn', FALLBACK_COLOURS.warn);
  ctx.globalAlpha = 1;
  ctx.fillStyle = cssColour(canvas, '--bg-alt', FALLBACK_COLOURS.empty);
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (const cell of densityCells(map)) {
    ctx.globalAlpha = cell.alpha;
    ctx.fillStyle = cell.kind === 'nan' ? nan : inf;
    ctx.fillRect(cell.j, cell.i, 1, 1);
  }
  ctx.globalAlpha = 1;
}

interface HoveredCell {
  readonly i: number;
  readonly j: number;
}

function describeCell(map: DensityMap, cell: HoveredCell): string {
  const r = cellRange(map, cell.i, cell.j);
  const { nan, inf } = densityCellCounts(map, cell.i * map.cellCols + cell.j);
  return `rows ${r.rowStart}..${r.rowEnd}, cols ${r.colStart}..${r.colEnd}: ${formatCount(nan)} NaN, ${formatCount(inf)} Inf`;
}

/** Where NaN (red) and Inf (orange) sit in the tensor viewed as [rows, cols]; darker = more. */
export function DensityMapView({ map }: { map: DensityMap }): ReactNode {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hovered, setHovered] = useState<HoveredCell | null>(null);
  const size = useMemo(() => densityDisplaySize(map), [map]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) {
      return undefined;
    }
    const repaint = (): void => paint(canvas, map);
    repaint();
    // The colours are theme variables: repaint when the theme switches.
    const observer = new MutationObserver(repaint);
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme', 'class'],
    });
    return () => observer.disconnect();
  }, [map]);

  const onMouseMove = (e: MouseEvent<HTMLCanvasElement>): void => {
    const rect = e.currentTarget.getBoundingClientRect();
    const j = Math.floor(((e.clientX - rect.left) / rect.width) * map.cellCols);
    const i = Math.floor(((e.clientY - rect.top) / rect.height) * map.cellRows);
    const inside = i >= 0 && i < map.cellRows && j >= 0 && j < map.cellCols;
    setHovered(inside ? { i, j } : null);
  };

  return (
    <figure className="td-density">
      <div className="td-density-plot">
        <span className="td-axis-y">rows 0..{map.rows - 1}</span>
        <canvas
          ref={canvasRef}
          data-testid="density-map"
          width={map.cellCols}
          height={map.cellRows}
          style={{ width: size.width, height: size.height }}
          role="img"
          aria-label={`NaN and Inf density over ${map.rows} rows and ${map.cols} columns`}
          onMouseMove={onMouseMove}
          onMouseLeave={() => setHovered(null)}
        />
        <span className="td-axis-x" style={{ width: size.width }}>
          cols 0..{map.cols - 1}
        </span>
      </div>
      <figcaption className="td-muted">
        {hovered === null
          ? `${map.cellRows} × ${map.cellCols} cells; red NaN, orange Inf, darker = more`
          : describeCell(map, hovered)}
      </figcaption>
    </figure>
  );
}
