import type { PairResult } from '../../core/diff/diff-types';
import { worstFirst } from './compare-grid';
import { num, sqnrText } from './format-pair';

/** Rows of the worst-first list; the rest are counted (the heatmap and the JSON show all). */
export const LISTED_PAIRS = 50;

/** The pairs, worst first; a click opens the detail. */
export function CompareList({
  pairs,
  selected,
  onSelect,
}: {
  readonly pairs: readonly PairResult[];
  readonly selected: string | null;
  readonly onSelect: (name: string) => void;
}) {
  const ordered = worstFirst(pairs);
  const shown = ordered.slice(0, LISTED_PAIRS);
  return (
    <div className="compare-list">
      <table>
        <thead>
          <tr>
            <th scope="col">tensor</th>
            <th scope="col">A → B</th>
            <th scope="col">SQNR</th>
            <th scope="col">cosine</th>
            <th scope="col">max |A−B|</th>
            <th scope="col">NaN A/B</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr
              key={p.name}
              data-testid="compare-row"
              className={selected === p.name ? 'selected' : undefined}
            >
              <td>
                <button type="button" className="link" onClick={() => onSelect(p.name)}>
                  {p.name}
                </button>
              </td>
              <td>
                {p.a.dtype} → {p.b.dtype}
                {p.b.scheme !== null
                  ? ` (${p.b.scheme})`
                  : p.a.scheme !== null
                    ? ` (${p.a.scheme})`
                    : ''}
              </td>
              <td>{sqnrText(p)}</td>
              <td>{num(p.cosine)}</td>
              <td>{num(p.maxAbsError)}</td>
              <td>
                {p.nanA ?? '—'}/{p.nanB ?? '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {ordered.length > shown.length && (
        <p className="muted">… and {ordered.length - shown.length} more (better) pairs.</p>
      )}
    </div>
  );
}
