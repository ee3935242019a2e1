import type { RoleFault } from '../../core/report/verdict';
import type { QuantSummary } from '../../workers/quant-summary';

/** NaN/Inf scale findings as verdict inputs: they name scales whose stored dtype hides the fault. */
export function roleFaultsOf(quant: QuantSummary | null): RoleFault[] {
  const out = new Map<string, { nan: number; inf: number }>();
  for (const f of quant?.findings ?? []) {
    if (f.tensor === null || (f.rule !== 'nan-scale' && f.rule !== 'inf-scale')) {
      continue;
    }
    const e = out.get(f.tensor) ?? { nan: 0, inf: 0 };
    out.set(
      f.tensor,
      f.rule === 'nan-scale' ? { ...e, nan: e.nan + f.count } : { ...e, inf: e.inf + f.count },
    );
  }
  return [...out].map(([name, c]) => ({ name, ...c }));
}
