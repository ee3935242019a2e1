import type { SortingState } from '@tanstack/react-table';
import { getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { CSSProperties, ReactNode } from 'react';
import {
  useCallback,
  useDeferredValue,
  useEffect,
  useEffectEvent,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { TensorRow } from '../../model/tensor-row';
import { TENSOR_COLUMNS } from './columns';
import type { ColumnWidths } from './column-widths';
import { clampWidth, DEFAULT_WIDTHS, gridTemplate, totalWidth } from './column-widths';
import type { ColumnId } from './tensor-sort';
import { TableHeader } from './TableHeader';
import { TableToolbar } from './TableToolbar';
import type { DtypeChoice } from './tensor-filter';
import { effectiveDtype, filterRows } from './tensor-filter';
import { createDtypesCache } from './present-dtypes-cache';
import { sortRows } from './tensor-sort';
import { TensorTableRow } from './TensorTableRow';
import { windowRows } from '../window-rows';
import './TensorTable.css';

export interface TensorTableProps {
  rows: readonly TensorRow[];
  selectedKey: string | null;
  onSelectTensor(key: string): void;
}

/** Every row has this height (`.tt-row` in the CSS matches), so rows are placed without measuring. */
const ROW_HEIGHT_PX = 28;
/** Viewport height assumed before the first layout; the CSS default of `--tensor-table-height`. */
const INITIAL_VIEWPORT_PX = 420;
/** Rows rendered beyond the viewport on each side, so fast scrolling shows no blank gaps. */
const OVERSCAN_ROWS = 12;
/**
 * Up to this many rows are all rendered, in normal flow, without virtualization: when a filter
 * narrows the list every match is in the DOM, whatever the scroll position or viewport size.
 */
const RENDER_ALL_MAX_ROWS = 100;

const getRowId = (row: TensorRow): string => row.key;
const NO_ROWS: TensorRow[] = [];

/**
 * The sortable, filterable, virtualized list of every tensor of the checkpoint.
 *
 * Sorting and filtering run on plain arrays (memoized, so a keystroke does not re-sort), and
 * TanStack Table only sees the rows in the viewport: its row model allocates per row, which for
 * 100k rows on every scan update would stall the page. It still owns the sort state, header
 * toggles and cell rendering (`manualSorting`).
 */
export function TensorTable({ rows, selectedKey, onSelectTensor }: TensorTableProps): ReactNode {
  const [text, setText] = useState('');
  const [dtypeChoice, setDtypeChoice] = useState<DtypeChoice>('all');
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [sorting, setSorting] = useState<SortingState>([]);
  const [widths, setWidths] = useState<ColumnWidths>(DEFAULT_WIDTHS);
  const [nameResized, setNameResized] = useState(false);
  // The row that takes Tab (roving tabindex): the table is one Tab stop, arrows move inside.
  const [tabRowChoice, setTabRow] = useState(0);
  // Typing stays responsive while 100k names are filtered.
  const query = useDeferredValue(text);
  const [dtypesCache] = useState(createDtypesCache);
  const dtypes = dtypesCache.dtypesOf(rows);
  const dtype = effectiveDtype(dtypeChoice, dtypes);
  const sorted = useMemo(() => sortRows(rows, sorting), [rows, sorting]);
  const listed = useMemo(
    () => filterRows(sorted, { text: query, dtype, onlyProblems }),
    [sorted, query, dtype, onlyProblems],
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  // The app does not run React Compiler; TanStack Virtual and Table return stable objects with
  // changing results, which plain React re-renders correctly (the rule reports the first one only).
  // eslint-disable-next-line react-hooks/incompatible-library -- see above
  const virtualizer = useVirtualizer({
    count: listed.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: OVERSCAN_ROWS,
    initialRect: { width: 0, height: INITIAL_VIEWPORT_PX },
  });
  const renderAll = listed.length <= RENDER_ALL_MAX_ROWS;
  const items = renderAll ? null : virtualizer.getVirtualItems();
  const tabRow = Math.min(tabRowChoice, Math.max(0, listed.length - 1));
  // When the Tab-stop row is outside the rendered window, the scroll area itself takes Tab.
  const tabRowRendered =
    listed.length > 0 && (items === null || items.some((item) => item.index === tabRow));
  // TanStack Table owns the sort state and the header; the body renders rows itself (memoized
  // rows: a scroll renders only the rows that enter the window), so the table gets no data.
  const table = useReactTable({
    data: NO_ROWS,
    columns: TENSOR_COLUMNS,
    state: { sorting },
    onSortingChange: setSorting,
    manualSorting: true,
    // Without pagination or expansion there is nothing to reset; a reset would re-render per scroll.
    autoResetAll: false,
    enableMultiSort: false,
    getCoreRowModel: getCoreRowModel(),
    getRowId,
  });

  // A new filter or sort order starts at the top of the list.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [query, dtype, onlyProblems, sorting]);

  // A tensor selected elsewhere (e.g. in the heatmap) is scrolled into view.
  const revealRow = useEffectEvent((key: string) => {
    const index = listed.findIndex((row) => row.key === key);
    if (index >= 0) {
      virtualizer.scrollToIndex(index, { align: 'auto' });
    }
  });
  useEffect(() => {
    if (selectedKey !== null) {
      revealRow(selectedKey);
    }
  }, [selectedKey]);

  const focusHeader = (): void => {
    scrollRef.current?.querySelector<HTMLElement>('.tt-head .tt-sort')?.focus();
  };
  const focusIndex = (target: number): void => {
    if (target < 0) {
      focusHeader();
      return;
    }
    if (listed.length === 0) {
      return;
    }
    const index = Math.min(target, listed.length - 1);
    setTabRow(index);
    const find = (): HTMLElement | null | undefined =>
      scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    virtualizer.scrollToIndex(index, { align: 'auto' });
    const row = find();
    if (row !== null && row !== undefined) {
      row.focus();
    } else {
      requestAnimationFrame(() => find()?.focus());
    }
  };
  // Stable callbacks for the memoized rows, calling this render's handlers.
  const handlers = useRef({ focusIndex, onSelectTensor });
  useEffect(() => {
    handlers.current = { focusIndex, onSelectTensor };
  });
  const onFocusIndex = useCallback((index: number) => handlers.current.focusIndex(index), []);
  const onSelect = useCallback((key: string) => handlers.current.onSelectTensor(key), []);
  const onFocused = useCallback((index: number) => setTabRow(index), []);
  const widthOf = useCallback((id: ColumnId) => widths[id], [widths]);
  const onResize = useCallback((id: ColumnId, px: number) => {
    setWidths((w) => ({ ...w, [id]: clampWidth(px) }));
    if (id === 'name') {
      setNameResized(true);
    }
  }, []);
  const columnStyle = {
    '--tt-template': gridTemplate(widths, nameResized),
    '--tt-min-width': `${totalWidth(widths)}px`,
  } as CSSProperties;

  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const body = windowRows(listed, items, (tensor, index, item) => (
    <TensorTableRow
      key={tensor.key}
      tensor={tensor}
      index={index}
      selected={tensor.key === selectedKey}
      tabbable={index === tabRow}
      top={item === null ? null : item.start}
      onSelect={onSelect}
      onFocusIndex={onFocusIndex}
      onFocused={onFocused}
    />
  ));
  return (
    <section className="tensor-table" aria-label="Tensors">
      <TableToolbar
        text={text}
        onTextChange={setText}
        dtype={dtype}
        dtypes={dtypes}
        onDtypeChange={setDtypeChoice}
        onlyProblems={onlyProblems}
        onOnlyProblemsChange={setOnlyProblems}
        shown={listed.length}
        total={rows.length}
      />
      <div
        ref={scrollRef}
        className="tt-scroll"
        role="grid"
        aria-label="Tensors: arrow keys move, Enter opens, c copies the name"
        aria-rowcount={listed.length + 1}
        aria-colcount={headers.length}
        tabIndex={tabRowRendered ? -1 : 0}
        style={columnStyle}
        onFocus={(e) => {
          if (e.target === e.currentTarget && listed.length > 0) {
            focusIndex(tabRow);
          }
        }}
      >
        <TableHeader
          headers={headers}
          widthOf={widthOf}
          onResize={onResize}
          onLeaveDown={() => focusIndex(tabRow)}
        />
        {renderAll ? (
          <div role="rowgroup">{body}</div>
        ) : (
          <div
            role="rowgroup"
            className="tt-virtual-body"
            style={{ height: virtualizer.getTotalSize() }}
          >
            {body}
          </div>
        )}
        {listed.length === 0 ? (
          <p className="tt-empty">
            {rows.length === 0 ? 'No tensors loaded.' : 'No tensor matches the filters.'}
          </p>
        ) : null}
      </div>
    </section>
  );
}
