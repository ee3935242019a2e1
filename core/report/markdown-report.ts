import { appendAll } from '../append-all';
import type { JsonReport } from './json-report';

/** Rows of the findings table before it is cut (a bug report wants the pattern, not 10,000 rows). */
const MARKDOWN_MAX_ROWS = 200;
/** Positions listed per tensor. */
const MARKDOWN_POSITIONS = 5;

/** Markdown table cells: pipes and line breaks would break the table; backticks the code spans. */
function cell(text: string): string {
  return text.replace(/[|\\`]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

/** Findings ready to paste into a bug report: the verdict, then one row per tensor with NaN/Inf. */
export function formatMarkdownReport(report: JsonReport, verdict: string): string {
  const lines: string[] = [];
  lines.push(`### ckptscope findings`, '', `**${cell(verdict)}**`, '');
  const files = report.files.map(
    (f) => `${cell(f.path)} (${f.size.toLocaleString('en-US')} bytes, ${f.tensors.length} tensors)`,
  );
  lines.push(`Files: ${files.join(', ')}`, '');
  const rows: string[] = [];
  for (const f of report.files) {
    for (const t of f.tensors) {
      const bad = (t.nan ?? 0) + (t.posInf ?? 0) + (t.negInf ?? 0);
      if (bad === 0) {
        continue;
      }
      const cols = t.shape.length === 0 ? 1 : (t.shape[t.shape.length - 1] ?? 1);
      const first = [...(t.nanIndices ?? []), ...(t.infIndices ?? [])]
        .sort((a, b) => a - b)
        .slice(0, MARKDOWN_POSITIONS)
        .map((i) => (cols === 0 ? '(0, 0)' : `(${Math.floor(i / cols)}, ${i % cols})`))
        .join(' ');
      rows.push(
        `| ${cell(f.path)} | \`${cell(t.name)}\` | ${t.dtype} | [${t.shape.join(', ')}] | ${t.nan ?? 0} | ${(t.posInf ?? 0) + (t.negInf ?? 0)} | ${first} |`,
      );
    }
  }
  if (rows.length > 0) {
    lines.push(
      '| file | tensor | dtype | shape | NaN | Inf | first (row, col) |',
      '|---|---|---|---|---|---|---|',
    );
    appendAll(lines, rows.slice(0, MARKDOWN_MAX_ROWS));
    if (rows.length > MARKDOWN_MAX_ROWS) {
      lines.push(
        '',
        `… and ${rows.length - MARKDOWN_MAX_ROWS} more tensors (see the JSON export).`,
      );
    }
    lines.push('');
  }
  appendAll(lines, quantizationFindings(report));
  if (report.errors.length > 0) {
    lines.push('Errors:', '');
    for (const e of report.errors) {
      lines.push(`- \`${e.code}\` ${cell(e.message)}`);
    }
    lines.push('');
  }
  lines.push(
    `_${report.tool.name} ${report.tool.version}; the files were read locally, nothing was uploaded._`,
  );
  return `${lines.join('\n')}\n`;
}

/** The quantization lint findings as a table (none when the report has none). */
function quantizationFindings(report: JsonReport): string[] {
  const findings = report.findings;
  if (findings.length === 0) {
    return [];
  }
  const rows = findings
    .slice(0, MARKDOWN_MAX_ROWS)
    .map(
      (f) =>
        `| ${f.severity} | \`${f.rule}\` | ${cell(f.module ?? '')} | ${f.tensor === null ? '' : `\`${cell(f.tensor)}\``} | ${f.count} | ${cell(f.message)} |`,
    );
  const more =
    findings.length > MARKDOWN_MAX_ROWS
      ? ['', `… and ${findings.length - MARKDOWN_MAX_ROWS} more findings (see the JSON export).`]
      : [];
  return [
    'Quantization findings:',
    '',
    '| severity | rule | module | tensor | count | evidence |',
    '|---|---|---|---|---|---|',
    ...rows,
    ...more,
    '',
  ];
}
