import type { ReactNode } from 'react';

/** The box recharts renders as tooltip content: a title and label/value lines (text only). */
export function ChartTooltip({
  title,
  lines,
}: {
  title: string;
  lines: readonly (readonly [string, string])[];
}): ReactNode {
  return (
    <div className="td-tooltip">
      <div className="td-tooltip-title">{title}</div>
      {lines.map(([label, value]) => (
        <div key={label}>
          <span className="td-muted">{label}</span> {value}
        </div>
      ))}
    </div>
  );
}
