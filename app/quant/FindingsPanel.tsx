import { useMemo, useState } from 'react';
import type { Severity } from '../../core/quant/index';
import type { FindingFilter } from './findings-filter';
import {
  countByRule,
  countBySeverity,
  filterFindings,
  SEVERITY_ORDER,
  SHOW_ALL_FINDINGS,
} from './findings-filter';
import { FindingsTable } from './FindingsTable';
import type { QuantState } from './use-quant-analysis';
import type { QuantSummary } from '../../workers/quant-summary';
import { FINDINGS_ID } from '../components/shell/VerdictLinks';
import { RuleDocs } from './RuleDocs';

interface Props {
  readonly quant: QuantState;
  /** Opens a tensor by file and name (the finding's evidence). */
  readonly onOpenTensor: (file: string, tensor: string) => void;
}

const NUMBER = new Intl.NumberFormat('en-US');

/** The lint findings of the quantized modules: severity, rule, module, evidence, a link to the tensor. */
export function FindingsPanel({ quant, onOpenTensor }: Props) {
  if (quant.status !== 'ready') {
    return null;
  }
  return <Findings summary={quant.summary} onOpenTensor={onOpenTensor} />;
}

function Findings({
  summary,
  onOpenTensor,
}: {
  readonly summary: QuantSummary;
  readonly onOpenTensor: Props['onOpenTensor'];
}) {
  const [chosen, setFilter] = useState<FindingFilter>(SHOW_ALL_FINDINGS);
  const findings = summary.findings;
  const bySeverity = useMemo(() => countBySeverity(findings), [findings]);
  const byRule = useMemo(() => countByRule(findings), [findings]);
  // A rule chosen before a new analysis that lacks it lists every rule again.
  const filter = useMemo(
    () => (byRule.some((r) => r.rule === chosen.rule) ? chosen : { ...chosen, rule: null }),
    [byRule, chosen],
  );
  const visible = useMemo(() => filterFindings(findings, filter), [findings, filter]);
  const toggle = (s: Severity, on: boolean): void => {
    const severities = new Set(filter.severities);
    if (on) {
      severities.add(s);
    } else {
      severities.delete(s);
    }
    setFilter({ ...filter, severities });
  };
  return (
    <section
      id={FINDINGS_ID}
      tabIndex={-1}
      className="panel findings-panel"
      aria-label="Quantization findings"
      data-testid="findings-panel"
    >
      <div className="findings-head">
        <h2>Quantization findings</h2>
        {SEVERITY_ORDER.map((s) => {
          const n = bySeverity.get(s) ?? 0;
          return (
            <label key={s} className={`sev sev-${s}`}>
              <input
                type="checkbox"
                checked={filter.severities.has(s)}
                onChange={(e) => toggle(s, e.currentTarget.checked)}
              />{' '}
              {NUMBER.format(n)} {s}
              {n === 1 ? '' : 's'}
            </label>
          );
        })}
        {byRule.length > 1 && (
          <select
            aria-label="Rule"
            data-testid="findings-rule"
            value={filter.rule ?? ''}
            onChange={(e) => {
              const rule = e.currentTarget.value;
              setFilter({
                ...filter,
                rule: rule === '' ? null : (byRule.find((r) => r.rule === rule)?.rule ?? null),
              });
            }}
          >
            <option value="">every rule</option>
            {byRule.map(({ rule, count }) => (
              <option key={rule} value={rule}>
                {rule} ({NUMBER.format(count)})
              </option>
            ))}
          </select>
        )}
        {visible.length !== findings.length && (
          <span className="findings-shown">
            {NUMBER.format(visible.length)} of {NUMBER.format(findings.length)} shown
          </span>
        )}
      </div>
      {byRule.length > 0 && <RuleDocs rules={byRule} />}
      {findings.length === 0 ? (
        <p className="repair-note">
          No findings: every quantized module's scales are finite, in range and paired.
        </p>
      ) : (
        <FindingsTable
          findings={visible}
          filterKey={`${[...filter.severities].join(',')}|${filter.rule ?? ''}`}
          onOpenTensor={onOpenTensor}
        />
      )}
    </section>
  );
}
