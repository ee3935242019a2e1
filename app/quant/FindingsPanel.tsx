import { useState } from 'react';
import type { Finding, Severity } from '../../core/quant/index';
import type { QuantState } from './use-quant-analysis';

interface Props {
  readonly quant: QuantState;
  /** Opens a tensor by file and name (the finding's evidence). */
  readonly onOpenTensor: (file: string, tensor: string) => void;
}

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];

/** The lint findings of the quantized modules: severity, rule, module, evidence, a link to the tensor. */
export function FindingsPanel({ quant, onOpenTensor }: Props) {
  const [shown, setShown] = useState<ReadonlySet<Severity>>(new Set(SEVERITY_ORDER));
  if (quant.status !== 'ready') {
    return null;
  }
  const findings = quant.summary.findings;
  const counts = new Map<Severity, number>(SEVERITY_ORDER.map((s) => [s, 0]));
  for (const f of findings) {
    counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  }
  const visible = findings.filter((f) => shown.has(f.severity));
  return (
    <section
      className="panel findings-panel"
      aria-label="Quantization findings"
      data-testid="findings-panel"
    >
      <div className="findings-head">
        <h2>Quantization findings</h2>
        {SEVERITY_ORDER.map((s) => (
          <label key={s} className={`sev sev-${s}`}>
            <input
              type="checkbox"
              checked={shown.has(s)}
              onChange={(e) => {
                const next = new Set(shown);
                if (e.currentTarget.checked) {
                  next.add(s);
                } else {
                  next.delete(s);
                }
                setShown(next);
              }}
            />{' '}
            {counts.get(s)} {s}
            {counts.get(s) === 1 ? '' : 's'}
          </label>
        ))}
      </div>
      {findings.length === 0 ? (
        <p className="repair-note">
          No findings: every quantized module's scales are finite, in range and paired.
        </p>
      ) : (
        <div className="findings-wrap">
          <table className="findings-table">
            <thead>
              <tr>
                <th>severity</th>
                <th>rule</th>
                <th>module</th>
                <th>count</th>
                <th>evidence</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((f, i) => (
                <FindingRow
                  key={`${f.rule}:${f.file ?? ''}:${f.tensor ?? f.module ?? i}`}
                  finding={f}
                  onOpenTensor={onOpenTensor}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function FindingRow({
  finding: f,
  onOpenTensor,
}: {
  readonly finding: Finding;
  readonly onOpenTensor: Props['onOpenTensor'];
}) {
  const file = f.file;
  const tensor = f.tensor;
  return (
    <tr
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
      <td className="mono">{f.rule}</td>
      <td>{f.module === null ? '—' : <code>{f.module}</code>}</td>
      <td className="num">{f.count.toLocaleString('en-US')}</td>
      <td>
        {f.message}{' '}
        {file !== null && tensor !== null && (
          <button type="button" className="link" onClick={() => onOpenTensor(file, tensor)}>
            open {tensor.split('.').pop()}
          </button>
        )}
      </td>
    </tr>
  );
}
