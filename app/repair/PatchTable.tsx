import { useState } from 'react';
import type { PlanTensorSummary, RepairClass, RepairPlan } from '../../core/repair/plan-repair';
import { REPAIR_CLASSES } from '../../core/repair/repair-decisions';
import { formatRepairMarkdown } from '../../core/repair/repair-markdown';
import { CLASS_MEANINGS } from '../../core/repair/repair-notes';
import { formatByte } from '../../core/repair/repair-policy';
import type { SafetensorsHeader } from '../../core/format/tensor-info';
import { formatPosition, tensorPosition } from '../../core/report/tensor-position';

/**
 * Rows rendered in the plan table. Beyond this the page would pay for DOM nobody reads; the
 * manifest download always holds every patch.
 */
const PATCH_ROWS_SHOWN = 2000;

interface Props {
  readonly plans: readonly {
    readonly fileName: string;
    readonly plan: RepairPlan;
    /** The file's header, for tensor shapes: positions in 1-D tensors print as an index. */
    readonly header?: SafetensorsHeader | null;
  }[];
}

/** A patch's position as every view prints it: an index in a 1-D tensor, else (row, col). */
function patchPosition(
  header: SafetensorsHeader | null | undefined,
  p: {
    readonly tensor: string;
    readonly flatIndex: number;
    readonly row: number;
    readonly col: number;
  },
): string {
  const shape = header?.byName.get(p.tensor)?.shape;
  return shape === undefined
    ? `(${p.row}, ${p.col})`
    : formatPosition(tensorPosition(shape, p.flatIndex));
}

/**
 * Every planned byte patch: file, tensor, (row, col), absolute offset, old → new, and its effect:
 * the class of a block scale (neutral / clamped / destroyed, explained beside the table) or lossy
 * for a float patch. Above it, the classes present with their counts and meaning, and the plan
 * as Markdown (core's formatRepairMarkdown).
 */
export function PatchTable({ plans }: Props) {
  const [copied, setCopied] = useState(false);
  const rows = plans.flatMap(({ fileName, plan, header }) =>
    plan.patches.map((p) => ({ fileName, p, header })),
  );
  const shown = rows.slice(0, PATCH_ROWS_SHOWN);
  const tensors: readonly PlanTensorSummary[] = plans.flatMap(({ plan }) => plan.tensors);
  const present = REPAIR_CLASSES.filter((c) => tensors.some((t) => t[c] > 0));
  return (
    <>
      {present.length > 0 && (
        <dl className="repair-class-legend" data-testid="repair-class-legend">
          {present.map((c) => (
            <ClassMeaning key={c} cls={c} count={tensors.reduce((n, t) => n + t[c], 0)} />
          ))}
        </dl>
      )}
      {rows.length > 0 && (
        <button
          type="button"
          data-testid="copy-repair-markdown"
          onClick={() => {
            const text = formatRepairMarkdown(plans);
            void navigator.clipboard?.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          Copy repair plan as Markdown
        </button>
      )}
      {copied && <span className="repair-note">Copied the repair plan as Markdown.</span>}
      <div className="patch-table-wrap">
        <table className="patch-table" data-testid="repair-plan" data-patches={rows.length}>
          <thead>
            <tr>
              <th>file</th>
              <th>tensor</th>
              <th>position</th>
              <th>byte offset</th>
              <th>old → new</th>
              <th>effect</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ fileName, p, header }) => {
              const effect = p.class ?? p.classification;
              return (
                <tr
                  key={`${fileName}:${p.offset}`}
                  data-testid="patch-row"
                  data-file={fileName}
                  data-offset={p.offset}
                  data-old={p.old}
                  data-new={p.new}
                  data-classification={p.classification ?? ''}
                  data-class={p.class ?? ''}
                >
                  <td className="file-name">{fileName}</td>
                  <td>
                    <code>{p.tensor}</code>
                  </td>
                  <td className="num">{patchPosition(header, p)}</td>
                  <td className="num">{p.offset.toLocaleString('en-US')}</td>
                  <td className="mono">
                    {formatByte(p.old)} → {formatByte(p.new)}
                  </td>
                  <td>
                    {effect === null ? (
                      ''
                    ) : (
                      <span
                        className={`tag ${effect}`}
                        title={p.class === null ? undefined : CLASS_MEANINGS[p.class]}
                      >
                        {effect}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {rows.length > shown.length && (
          <p className="repair-note">
            Showing the first {shown.length.toLocaleString('en-US')} of{' '}
            {rows.length.toLocaleString('en-US')} patches; the manifest lists all of them.
          </p>
        )}
      </div>
      {rows.length === 0 && <p className="repair-note">Nothing to patch under this policy.</p>}
    </>
  );
}

/** One class, how many patches have it, and what it means, as the legend above the table shows it. */
function ClassMeaning({ cls, count }: { readonly cls: RepairClass; readonly count: number }) {
  const meaning = CLASS_MEANINGS[cls];
  return (
    <>
      <dt>
        <span className={`tag ${cls}`} data-testid="repair-class-count" data-class={cls}>
          {count.toLocaleString('en-US')} {cls}
        </span>
      </dt>
      <dd data-testid="repair-class-meaning" data-class={cls}>
        {meaning.slice(meaning.indexOf(':') + 1).trim()}
      </dd>
    </>
  );
}
