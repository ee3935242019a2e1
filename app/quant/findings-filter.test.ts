import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/quant/index';
import { countByRule, countBySeverity, filterFindings, SHOW_ALL_FINDINGS } from './findings-filter';

function finding(rule: Finding['rule'], severity: Finding['severity'], tensor: string): Finding {
  return { rule, severity, file: 'a.safetensors', module: 'm', tensor, count: 1, message: '' };
}

const findings: Finding[] = [
  finding('nan-scale', 'error', 't0'),
  finding('subnormal-scale', 'info', 't1'),
  finding('scale-shape', 'error', 't2'),
  finding('nan-scale', 'error', 't3'),
  finding('missing-input-scale', 'warning', 't4'),
  finding('scale-shape', 'error', 't5'),
];

const tensors = (list: readonly Finding[]): (string | null)[] => list.map((f) => f.tensor);

describe('findings filter', () => {
  it('counts every severity, absent ones as 0', () => {
    expect([...countBySeverity(findings)]).toEqual([
      ['error', 4],
      ['warning', 1],
      ['info', 1],
    ]);
    expect([...countBySeverity([])]).toEqual([
      ['error', 0],
      ['warning', 0],
      ['info', 0],
    ]);
  });

  it('lists rules by count, then by name', () => {
    expect(countByRule(findings)).toEqual([
      { rule: 'nan-scale', count: 2 },
      { rule: 'scale-shape', count: 2 },
      { rule: 'missing-input-scale', count: 1 },
      { rule: 'subnormal-scale', count: 1 },
    ]);
  });

  it('keeps the original order and filters by severity and rule', () => {
    expect(filterFindings(findings, SHOW_ALL_FINDINGS)).toEqual(findings);
    expect(
      tensors(filterFindings(findings, { severities: new Set(['error']), rule: null })),
    ).toEqual(['t0', 't2', 't3', 't5']);
    expect(
      tensors(filterFindings(findings, { ...SHOW_ALL_FINDINGS, rule: 'scale-shape' })),
    ).toEqual(['t2', 't5']);
    expect(
      tensors(filterFindings(findings, { severities: new Set(['info']), rule: 'nan-scale' })),
    ).toEqual([]);
  });
});
