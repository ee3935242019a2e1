import type { ReactNode } from 'react';
import type { TensorRow } from '../../model/tensor-row';
import { statFields } from './stats-fields';

const TONE_CLASS = { bad: 'td-bad', warn: 'td-warn', plain: undefined } as const;

/** Layout and scan statistics as a definition list; every value rendered as text. */
export function StatsList({ row }: { row: TensorRow }): ReactNode {
  return (
    <dl className="td-stats" data-testid="tensor-stats">
      {statFields(row).map((field) => (
        <div key={field.label} className="td-stat">
          <dt>{field.label}</dt>
          <dd className={TONE_CLASS[field.tone]}>{field.value}</dd>
        </div>
      ))}
    </dl>
  );
}
