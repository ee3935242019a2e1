import type { Finding, FindingRule, Severity } from '../../core/quant/index';

export const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];

/** Which findings the panel lists: the ticked severities, and one rule or all (null). */
export interface FindingFilter {
  readonly severities: ReadonlySet<Severity>;
  readonly rule: FindingRule | null;
}

export const SHOW_ALL_FINDINGS: FindingFilter = {
  severities: new Set(SEVERITY_ORDER),
  rule: null,
};

/** How many findings each severity has (every severity present, 0 when none). */
export function countBySeverity(findings: readonly Finding[]): ReadonlyMap<Severity, number> {
  const counts = new Map<Severity, number>(SEVERITY_ORDER.map((s) => [s, 0]));
  for (const f of findings) {
    counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  }
  return counts;
}

/**
 * The rules present and how many findings each has, most findings first (ties by name): a
 * checkpoint with one fault in every expert has tens of thousands of findings of a few rules.
 */
export function countByRule(
  findings: readonly Finding[],
): readonly { readonly rule: FindingRule; readonly count: number }[] {
  const counts = new Map<FindingRule, number>();
  for (const f of findings) {
    counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  }
  return [...counts]
    .map(([rule, count]) => ({ rule, count }))
    .sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

/** The findings the filter lets through, in their original order. */
export function filterFindings(findings: readonly Finding[], filter: FindingFilter): Finding[] {
  return findings.filter(
    (f) => filter.severities.has(f.severity) && (filter.rule === null || f.rule === filter.rule),
  );
}
