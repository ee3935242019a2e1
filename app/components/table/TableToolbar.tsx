import type { ReactNode } from 'react';
import type { Dtype } from '../../../core/dtype/dtype';
import { isDtype } from '../../../core/dtype/dtype';
import { formatCount } from './format';
import type { DtypeChoice } from './tensor-filter';

export interface TableToolbarProps {
  text: string;
  onTextChange(text: string): void;
  dtype: DtypeChoice;
  dtypes: readonly Dtype[];
  onDtypeChange(dtype: DtypeChoice): void;
  onlyProblems: boolean;
  onOnlyProblemsChange(onlyProblems: boolean): void;
  shown: number;
  total: number;
}

/** The name, dtype and "only problems" filters above the tensor table, and the row count. */
export function TableToolbar(props: TableToolbarProps): ReactNode {
  return (
    <div className="tt-toolbar">
      <input
        type="search"
        className="tt-filter"
        data-testid="tensor-filter"
        placeholder="Filter: words or globs, e.g. experts 47 or *.weight_scale"
        aria-label="Filter tensors by name: every word must match; * and ? are wildcards"
        value={props.text}
        onChange={(e) => props.onTextChange(e.target.value)}
      />
      <label className="tt-toolbar-item">
        <span>Dtype</span>
        <select
          data-testid="dtype-filter"
          value={props.dtype}
          onChange={(e) => {
            const value = e.target.value;
            props.onDtypeChange(isDtype(value) ? value : 'all');
          }}
        >
          <option value="all">All</option>
          {props.dtypes.map((dtype) => (
            <option key={dtype} value={dtype}>
              {dtype}
            </option>
          ))}
        </select>
      </label>
      <label className="tt-toolbar-item">
        <input
          type="checkbox"
          data-testid="only-problems"
          checked={props.onlyProblems}
          onChange={(e) => props.onOnlyProblemsChange(e.target.checked)}
        />
        <span>Only problems (NaN/Inf)</span>
      </label>
      <span
        className="tt-count"
        data-testid="tensor-count"
        data-shown={props.shown}
        data-total={props.total}
        aria-live="polite"
      >
        Showing {formatCount(props.shown)} of {formatCount(props.total)} tensors
      </span>
    </div>
  );
}
