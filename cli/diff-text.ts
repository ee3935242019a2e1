import type { DiffReport, PairResult } from '../core/diff/diff-types';
import { terminalSafe } from './terminal-text';

/** Rows of the "worst modules" list in the readable report (the JSON has every pair). */
export const WORST_LISTED = 15;
/** Structure differences listed by name before "... and N more". */
export const NAMES_LISTED = 20;

function db(v: number | null): string {
  return v === null ? '-' : v.toFixed(1);
}

/** A pair's SQNR as shown in a cell: dB, `same` (identical bytes), `exact` (A − B = 0), `n/a`. */
function cell(p: PairResult): string {
  if (p.identical === true) {
    return 'same';
  }
  if (p.notCompared !== null) {
    return 'n/a';
  }
  if (p.sqnrDb !== null) {
    return db(p.sqnrDb);
  }
  return p.maxAbsError === 0 ? 'exact' : '-';
}

/** Orders pairs inside a cell (experts, several tensors): the worst one speaks for the cell. */
function worse(x: PairResult, y: PairResult): PairResult {
  const rank = (p: PairResult): number =>
    p.notCompared !== null ? -Infinity : (p.sqnrDb ?? (p.identical === true ? Infinity : 1e9));
  return rank(y) < rank(x) ? y : x;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function padLeft(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/**
 * The layer x module table: one row per layer (worst layer first), one column per module (in the
 * order first seen), each cell the SQNR in dB of the worst pair in it.
 */
function layerTable(pairs: readonly PairResult[]): string[] {
  const modules: string[] = [];
  const seen = new Set<string>();
  const rows = new Map<string, Map<string, PairResult>>();
  for (const p of pairs) {
    if (p.layer === null) {
      continue;
    }
    if (!seen.has(p.module)) {
      seen.add(p.module);
      modules.push(p.module);
    }
    const key = String(p.layer);
    const row = rows.get(key) ?? new Map<string, PairResult>();
    rows.set(key, row);
    const old = row.get(p.module);
    row.set(p.module, old === undefined ? p : worse(old, p));
  }
  if (rows.size === 0) {
    return [];
  }
  modules.sort();
  const worst = (row: Map<string, PairResult>): number => {
    let m = Infinity;
    for (const p of row.values()) {
      if (p.sqnrDb !== null) {
        m = Math.min(m, p.sqnrDb);
      }
    }
    return m;
  };
  const ordered = [...rows].sort(
    (x, y) => worst(x[1]) - worst(y[1]) || Number(x[0]) - Number(y[0]),
  );
  const widths = modules.map((m) => Math.max(7, terminalSafe(m).length));
  const lines = [
    `${pad('layer', 6)} ${modules.map((m, i) => padLeft(terminalSafe(m), widths[i])).join(' ')}`,
  ];
  for (const [layer, row] of ordered) {
    const cells = modules.map((m, i) => {
      const p = row.get(m);
      return padLeft(p === undefined ? '' : cell(p), widths[i]);
    });
    lines.push(`${pad(layer, 6)} ${cells.join(' ')}`);
  }
  return lines;
}

function names(label: string, list: readonly string[]): string[] {
  if (list.length === 0) {
    return [];
  }
  const shown = list.slice(0, NAMES_LISTED).map((n) => `    ${terminalSafe(n)}`);
  if (list.length > NAMES_LISTED) {
    shown.push(`    ... and ${list.length - NAMES_LISTED} more`);
  }
  return [`  ${label} (${list.length}):`, ...shown];
}

/** The readable report of `ckptscope diff`. */
export function formatDiffText(report: DiffReport, minSqnr: number | null): string {
  const out: string[] = [];
  out.push(`A  ${terminalSafe(report.a.path)}  (scheme: ${report.a.scheme})`);
  out.push(`B  ${terminalSafe(report.b.path)}  (scheme: ${report.b.scheme})`);
  out.push('');
  const identical = report.pairs.filter((p) => p.identical === true).length;
  const measured = report.pairs.filter((p) => p.sqnrDb !== null);
  const table = layerTable(report.pairs);
  if (table.length > 0) {
    out.push('SQNR in dB per layer x module (worst layer first; same = identical bytes):');
    for (const line of table) {
      out.push(`  ${line}`);
    }
    out.push('');
  }
  const worst = report.pairs.filter((p) => p.identical !== true).slice(0, WORST_LISTED);
  if (worst.length > 0) {
    out.push('Worst pairs:');
    for (const p of worst) {
      const below = minSqnr !== null && p.sqnrDb !== null && p.sqnrDb < minSqnr ? '  < min' : '';
      const detail =
        p.notCompared !== null
          ? `not compared: ${terminalSafe(p.notCompared)}`
          : `SQNR ${padLeft(cell(p), 6)} dB  cos ${p.cosine === null ? '-' : p.cosine.toFixed(4)}  relL2 ${p.relL2 === null ? '-' : p.relL2.toExponential(2)}  max|err| ${p.maxAbsError === null ? '-' : p.maxAbsError.toExponential(2)}  NaN ${p.nanA ?? '-'}/${p.nanB ?? '-'}  Inf ${p.infA ?? '-'}/${p.infB ?? '-'}`;
      out.push(
        `  ${terminalSafe(p.name)}  ${p.a.dtype} -> ${p.b.dtype}${p.b.scheme === null ? '' : ` (${p.b.scheme})`}  ${detail}${below}`,
      );
    }
    out.push('');
  }
  const structure = [...names('only in A', report.onlyA), ...names('only in B', report.onlyB)];
  if (structure.length > 0) {
    out.push('Structure:');
    appendLines(out, structure);
    out.push('');
  }
  if (report.findings.length > 0) {
    out.push('Findings:');
    for (const f of report.findings) {
      out.push(`  ${pad(f.severity, 7)} ${pad(f.rule, 16)} ${terminalSafe(f.message)}`);
    }
    out.push('');
  }
  for (const e of report.errors) {
    out.push(`ERROR ${terminalSafe(e.message)} [${e.code}]`);
  }
  out.push(
    `Compared ${report.pairs.length} pair(s): ${identical} identical, ${measured.length} with an SQNR; ${report.onlyA.length} only in A, ${report.onlyB.length} only in B.`,
  );
  return `${out.join('\n')}\n`;
}

function appendLines(out: string[], lines: readonly string[]): void {
  for (const l of lines) {
    out.push(l);
  }
}
