import type { PairResult } from '../../core/diff/diff-types';
import { cellKeyOf, compareGrid } from './compare-grid';
import { sqnrText } from './format-pair';
import { sqnrColour, SQNR_LEGEND_STOPS } from './sqnr-scale';

/** Colour of a cell without an SQNR: identical (no error) and not compared. */
const IDENTICAL_FILL = 'var(--ok)';
const NOT_COMPARED_FILL = 'repeating-linear-gradient(45deg, #999 0 3px, transparent 3px 6px)';

function fill(p: PairResult): string {
  if (p.notCompared !== null) {
    return NOT_COMPARED_FILL;
  }
  if (p.sqnrDb !== null) {
    return sqnrColour(p.sqnrDb);
  }
  return IDENTICAL_FILL;
}

/** Layer x module, each cell coloured by the SQNR of its worst pair; a click opens that pair. */
export function CompareHeatmap({
  pairs,
  selected,
  onSelect,
}: {
  readonly pairs: readonly PairResult[];
  readonly selected: string | null;
  readonly onSelect: (name: string) => void;
}) {
  const grid = compareGrid(pairs);
  if (grid.layers.length === 0) {
    return null;
  }
  return (
    <div className="compare-heatmap-wrap">
      <div
        className="compare-heatmap"
        data-testid="compare-heatmap"
        role="grid"
        aria-label="SQNR per layer and module"
        style={{ gridTemplateColumns: `5em repeat(${grid.modules.length}, minmax(2.2em, 1fr))` }}
      >
        <div className="compare-corner" role="columnheader">
          layer
        </div>
        {grid.modules.map((m) => (
          <div key={m} className="compare-col" role="columnheader" title={m}>
            {m}
          </div>
        ))}
        {grid.layers.map((layer) => (
          <div key={layer} role="row" className="compare-heatmap-row">
            <div className="compare-layer" role="rowheader">
              {layer}
            </div>
            {grid.modules.map((m) => {
              const cell = grid.cells.get(cellKeyOf(layer, m));
              if (cell === undefined) {
                return <div key={m} className="compare-cell empty" role="gridcell" />;
              }
              const p = cell.worst;
              const label = `layer ${layer} ${m}: ${sqnrText(p)}${cell.pairs > 1 ? ` (worst of ${cell.pairs})` : ''}`;
              return (
                <button
                  key={m}
                  type="button"
                  role="gridcell"
                  className={`compare-cell${selected === p.name ? ' selected' : ''}`}
                  style={{ background: fill(p) }}
                  title={label}
                  aria-label={label}
                  onClick={() => onSelect(p.name)}
                />
              );
            })}
          </div>
        ))}
      </div>
      <div className="compare-legend" aria-label="SQNR colour scale in dB">
        <span>SQNR</span>
        {SQNR_LEGEND_STOPS.map((db) => (
          <span key={db} className="compare-legend-stop">
            <span className="swatch" style={{ background: sqnrColour(db) }} />
            {db === SQNR_LEGEND_STOPS[0]
              ? `≤ ${db}`
              : db === SQNR_LEGEND_STOPS[SQNR_LEGEND_STOPS.length - 1]
                ? `≥ ${db}`
                : db}{' '}
            dB
          </span>
        ))}
        <span className="compare-legend-stop">
          <span className="swatch" style={{ background: IDENTICAL_FILL }} />
          identical
        </span>
        <span className="compare-legend-stop">
          <span className="swatch" style={{ background: NOT_COMPARED_FILL }} />
          not compared
        </span>
      </div>
    </div>
  );
}
