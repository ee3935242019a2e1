import type { RepairPlan } from '../../core/repair/plan-repair';
import { formatByte } from '../../core/repair/repair-policy';

/**
 * Rows rendered in the plan table. Beyond this the page would pay for DOM nobody reads; the
 * manifest download always holds every patch.
 */
const PATCH_ROWS_SHOWN = 2000;

interface Props {
  readonly plans: readonly { readonly fileName: string; readonly plan: RepairPlan }[];
}

/** Every planned byte patch: file, tensor, (row, col), absolute offset, old → new, neutral or lossy. */
export function PatchTable({ plans }: Props) {
  const rows = plans.flatMap(({ fileName, plan }) => plan.patches.map((p) => ({ fileName, p })));
  const shown = rows.slice(0, PATCH_ROWS_SHOWN);
  return (
    <div className="patch-table-wrap">
      <table className="patch-table" data-testid="repair-plan" data-patches={rows.length}>
        <thead>
          <tr>
            <th>file</th>
            <th>tensor</th>
            <th>(row, col)</th>
            <th>byte offset</th>
            <th>old → new</th>
            <th>effect</th>
          </tr>
        </thead>
        <tbody>
          {shown.map(({ fileName, p }) => (
            <tr
              key={`${fileName}:${p.offset}`}
              data-testid="patch-row"
              data-file={fileName}
              data-offset={p.offset}
              data-old={p.old}
              data-new={p.new}
              data-classification={p.classification ?? ''}
            >
              <td className="file-name">{fileName}</td>
              <td>
                <code>{p.tensor}</code>
              </td>
              <td className="num">
                ({p.row}, {p.col})
              </td>
              <td className="num">{p.offset.toLocaleString('en-US')}</td>
              <td className="mono">
                {formatByte(p.old)} → {formatByte(p.new)}
              </td>
              <td>
                {p.classification === null ? (
                  ''
                ) : (
                  <span className={`tag ${p.classification}`}>{p.classification}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown.length && (
        <p className="repair-note">
          Showing the first {shown.length.toLocaleString('en-US')} of{' '}
          {rows.length.toLocaleString('en-US')} patches; the manifest lists all of them.
        </p>
      )}
      {rows.length === 0 && <p className="repair-note">Nothing to patch under this policy.</p>}
    </div>
  );
}
