import { useVirtualizer } from '@tanstack/react-virtual';
import type { ReactNode } from 'react';
import { memo, useEffect, useRef } from 'react';
import type { Finding } from '../../core/quant/index';
import { windowRows } from '../components/window-rows';
import { visibleName } from '../../core/report/display-name';
import { ruleDoc } from './rule-docs';

interface Props {
  readonly findings: readonly Finding[];
  /** Changes whenever the filter does: the list starts again at its top. */
  readonly filterKey: string;
  readonly onOpenTensor: (file: string, tensor: string) => void;
}

/**
 * Up to this many findings are all rendered in normal flow. Beyond it the rows are virtualized: a
 * checkpoint with a fault in every expert has tens of thousands of findings, and rendering them
 * all froze the tab for ~8 s and then cost ~200 ms per frame (measured on a 100,000-tensor header).
 */
const RENDER_ALL_MAX_FINDINGS = 200;
/** Height of the scrolling list when virtualized (`.findings-virtual` in the CSS matches). */
const VIEWPORT_PX = 320;
/** First guess of a row's height; rows are measured once rendered (long evidence wraps). */
const ESTIMATED_ROW_PX = 40;
/** Rows rendered beyond the viewport on each side, so fast scrolling shows no blank gaps. */
const OVERSCAN_ROWS = 10;
const COLUMNS = 5;

/** The findings as a table: all rows when few, only those in view when many. */
export function FindingsTable({ findings, filterKey, onOpenTensor }: Props): ReactNode {
  const scrollRef = useRef<HTMLDivElement>(null);
  const renderAll = findings.length <= RENDER_ALL_MAX_FINDINGS;
  // The app does not run React Compiler; see TensorTable for why the rule is silenced.
  // eslint-disable-next-line react-hooks/incompatible-library -- see above
  const virtualizer = useVirtualizer({
    count: findings.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: OVERSCAN_ROWS,
    initialRect: { width: 0, height: VIEWPORT_PX },
  });
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [filterKey]);

  const items = renderAll ? null : virtualizer.getVirtualItems();
  const rows = windowRows(findings, items, (f, index, item) => (
    <FindingRow
      key={findingKey(f, index)}
      finding={f}
      index={index}
      measure={item === null ? null : virtualizer.measureElement}
      onOpenTensor={onOpenTensor}
    />
  ));
  // Spacer rows stand for the rows above and below the window, so the table keeps its columns.
  const before = items === null ? 0 : (items[0]?.start ?? 0);
  const after =
    items === null ? 0 : virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    <div ref={scrollRef} className={renderAll ? 'findings-wrap' : 'findings-wrap findings-virtual'}>
      <table className="findings-table" aria-rowcount={findings.length + 1}>
        <colgroup>
          <col className="fc-severity" />
          <col className="fc-rule" />
          <col className="fc-module" />
          <col className="fc-count" />
          <col />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            <th>severity</th>
            <th>rule</th>
            <th>module</th>
            <th>count</th>
            <th>evidence</th>
          </tr>
        </thead>
        <tbody>
          {before > 0 && <Spacer height={before} />}
          {rows}
          {after > 0 && <Spacer height={after} />}
        </tbody>
      </table>
    </div>
  );
}

function findingKey(f: Finding, index: number): string {
  return `${f.rule}:${f.file ?? ''}:${f.tensor ?? f.module ?? index}`;
}

function Spacer({ height }: { readonly height: number }) {
  return (
    <tr className="findings-spacer" aria-hidden="true" style={{ height }}>
      <td colSpan={COLUMNS} />
    </tr>
  );
}

/** One finding; memoized, so a scroll renders only the rows that enter the window. */
const FindingRow = memo(function FindingRow({
  finding: f,
  index,
  measure,
  onOpenTensor,
}: {
  readonly finding: Finding;
  readonly index: number;
  /** The virtualizer's measuring ref (rows differ in height), or null when all rows render. */
  readonly measure: ((row: HTMLTableRowElement | null) => void) | null;
  readonly onOpenTensor: Props['onOpenTensor'];
}) {
  const file = f.file;
  const tensor = f.tensor;
  const title = ruleDoc(f.rule)?.title ?? null;
  return (
    <tr
      ref={measure ?? undefined}
      data-index={index}
      aria-rowindex={index + 2}
      data-testid="finding-row"
      data-rule={f.rule}
      data-severity={f.severity}
      data-module={f.module ?? ''}
      data-tensor={tensor ?? ''}
      data-count={f.count}
    >
      <td>
        <span className={`sev sev-${f.severity}`}>{f.severity}</span>
      </td>
      <td>
        <span className="mono">{f.rule}</span>
        {title !== null && <span className="finding-title">{title}</span>}
      </td>
      <td>{f.module === null ? '—' : <code>{visibleName(f.module)}</code>}</td>
      <td className="num">{f.count.toLocaleString('en-US')}</td>
      <td>
        {visibleName(f.message)}{' '}
        {file !== null && tensor !== null && (
          <button
            type="button"
            className="link"
            data-testid="finding-open-tensor"
            title={visibleName(tensor)}
            onClick={() => onOpenTensor(file, tensor)}
          >
            show {visibleName(tensor.split('.').pop() ?? tensor)}
          </button>
        )}
      </td>
    </tr>
  );
});
