import { formatPosition, positionUnit, tensorPosition } from './tensor-position';
import { appendAll } from '../append-all';
import type { JsonFile, JsonReport } from './json-report';
import { mdCode, mdCodeBlock, mdText, shellWord } from './markdown-text';

/** Rows of the findings table shown openly; the rest go into a `<details>` block. */
const MARKDOWN_VISIBLE_ROWS = 20;
/** Rows at most, in all (a bug report wants the pattern, not 10,000 rows: the JSON has them all). */
const MARKDOWN_MAX_ROWS = 200;
/** Positions listed per tensor in the evidence. */
const MARKDOWN_POSITIONS = 5;
/** Files, errors or scheme lines listed openly before the rest go into `<details>`. */
const MARKDOWN_VISIBLE_ITEMS = 5;

/** What the export knows beyond the report itself (each optional). */
export interface MarkdownExtras {
  /** One line summarising the repair plan (e.g. "3 files, 12 NaN bytes replaced by max"). */
  readonly repairSummary?: string | null;
  /** The paths to give `ckptscope scan` to reproduce; default: the report's file paths. */
  readonly paths?: readonly string[] | null;
}

/** One row of the findings table (module, rule, count, tensor) and its evidence line. */
interface Row {
  readonly order: number;
  readonly module: string | null;
  readonly rule: string;
  readonly count: number;
  readonly tensor: string | null;
  readonly evidence: string;
}

const SEVERITY_ORDER: Readonly<Record<string, number>> = { error: 1, warning: 2, info: 3 };

/**
 * Findings ready to paste into a GitHub issue at comment width: the verdict (and a partial mark
 * when exported mid-scan), the scheme line, one compact table (module, rule, count, tensor) with
 * long lists folded into `<details>`, the evidence, errors, the repair plan summary and the
 * command that reproduces the scan. Every name and message is inert (markdown-text.ts).
 */
export function formatMarkdownReport(
  report: JsonReport,
  verdict: string,
  extras: MarkdownExtras = {},
): string {
  const lines: string[] = ['### ckptscope findings', '', `**${mdText(verdict)}**`, ''];
  if (!report.complete) {
    const all = report.files.reduce((n, f) => n + f.tensors.length, 0);
    const done = report.files.reduce((n, f) => n + f.tensors.filter((t) => t.scanned).length, 0);
    lines.push(
      `> **Partial report:** exported before the scan finished (${done.toLocaleString('en-US')} of ${all.toLocaleString('en-US')} tensors scanned). Counts below cover the scanned tensors only.`,
      '',
    );
  }
  appendAll(lines, schemeLines(report.files));
  appendAll(lines, fileLines(report.files));
  const rows = tableRows(report);
  appendAll(lines, findingsTable(rows));
  appendAll(lines, evidence(rows));
  appendAll(lines, errorLines(report));
  if (extras.repairSummary !== undefined && extras.repairSummary !== null) {
    lines.push(`**Repair plan:** ${mdText(extras.repairSummary)}`, '');
  }
  const paths = extras.paths ?? report.files.map((f) => f.path);
  if (paths.length > 0) {
    lines.push('Reproduce with the CLI:', '');
    appendAll(lines, mdCodeBlock('sh', [`npx ckptscope scan ${paths.map(shellWord).join(' ')}`]));
    lines.push('');
  }
  lines.push(
    `_${mdText(`${report.tool.name} ${report.tool.version}`)}; the files were read locally, nothing was uploaded._`,
  );
  return `${lines.join('\n')}\n`;
}

/** `Scheme: nvfp4 (modelopt, from config), 3 files` per distinct scheme, producer and source. */
function schemeLines(files: readonly JsonFile[]): string[] {
  const counts = new Map<string, { text: string; files: number }>();
  for (const f of files) {
    if (f.scheme === null) {
      continue;
    }
    const parts = [f.producer, f.schemeSource === null ? null : `from ${f.schemeSource}`].filter(
      (x): x is string => x !== null,
    );
    const text = `${mdCode(f.scheme, false)}${parts.length > 0 ? ` (${mdText(parts.join(', '))})` : ''}`;
    const entry = counts.get(text) ?? { text, files: 0 };
    entry.files++;
    counts.set(text, entry);
  }
  const items = [...counts.values()].map(
    (e) => `${e.text}${files.length > 1 ? `, ${e.files} file${e.files === 1 ? '' : 's'}` : ''}`,
  );
  if (items.length === 0) {
    return [];
  }
  return [`Scheme: ${items.join('; ')}`, ''];
}

function fileLines(files: readonly JsonFile[]): string[] {
  const bytes = files.reduce((n, f) => n + f.size, 0);
  const tensors = files.reduce((n, f) => n + f.tensors.length, 0);
  const list = files.map(
    (f) =>
      `- ${mdCode(f.path, false)}: ${f.size.toLocaleString('en-US')} bytes, ${f.tensors.length.toLocaleString('en-US')} tensors`,
  );
  const head = `Files: ${files.length.toLocaleString('en-US')} (${bytes.toLocaleString('en-US')} bytes, ${tensors.toLocaleString('en-US')} tensors)`;
  if (files.length <= 1) {
    return files.length === 0 ? [head, ''] : [`${head}: ${mdCode(files[0].path, false)}`, ''];
  }
  return [head, '', ...folded(list, 'files')];
}

/** `items` as they are when few, else inside `<details>` (a blank line after the summary lets Markdown render inside). */
function folded(items: readonly string[], what: string): string[] {
  if (items.length <= MARKDOWN_VISIBLE_ITEMS) {
    return [...items, ''];
  }
  return [
    `<details><summary>${items.length.toLocaleString('en-US')} ${what}</summary>`,
    '',
    ...items,
    '',
    '</details>',
    '',
  ];
}

/** `index 5 7` for a 1-D tensor, `(row, col) (1, 2) (3, 0)` otherwise (`tensor-position.ts`). */
function positions(shape: readonly number[], indices: readonly number[]): string {
  const at = indices
    .slice(0, MARKDOWN_POSITIONS)
    .map((i) => formatPosition(tensorPosition(shape, i)))
    .join(' ');
  return `${positionUnit(shape)} ${at}`;
}

/** The module of a tensor: its name without the last dotted part. */
function moduleOf(tensor: string): string | null {
  const dot = tensor.lastIndexOf('.');
  return dot <= 0 ? null : tensor.slice(0, dot);
}

/** NaN/Inf tensors first (by count), then findings by severity, as the table shows them. */
function tableRows(report: JsonReport): Row[] {
  const rows: Row[] = [];
  for (const f of report.files) {
    for (const t of f.tensors) {
      const inf = (t.posInf ?? 0) + (t.negInf ?? 0);
      const where = `${mdCode(t.name, false)} in ${mdCode(f.path, false)}, ${mdText(`${t.decodedAs === undefined ? t.dtype : `${t.dtype} as ${t.decodedAs}`} [${t.shape.join(', ')}]`)}`;
      if ((t.nan ?? 0) > 0) {
        const at = mdText(positions(t.shape, t.nanIndices ?? []));
        rows.push({
          order: 0,
          module: moduleOf(t.name),
          rule: 'nan',
          count: t.nan ?? 0,
          tensor: t.name,
          evidence: `${where}: ${(t.nan ?? 0).toLocaleString('en-US')} NaN, first at ${at}`,
        });
      }
      if (inf > 0) {
        const at = mdText(positions(t.shape, t.infIndices ?? []));
        rows.push({
          order: 0,
          module: moduleOf(t.name),
          rule: 'inf',
          count: inf,
          tensor: t.name,
          evidence: `${where}: ${inf.toLocaleString('en-US')} Inf, first at ${at}`,
        });
      }
    }
  }
  for (const f of report.findings) {
    rows.push({
      order: SEVERITY_ORDER[f.severity] ?? 4,
      module: f.module,
      rule: f.rule,
      count: f.count,
      tensor: f.tensor,
      evidence: `${mdText(f.severity)} ${mdCode(f.rule, false)}${f.tensor === null ? '' : ` ${mdCode(f.tensor, false)}`}: ${mdText(f.message)}`,
    });
  }
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => a.row.order - b.row.order || a.i - b.i)
    .map((x) => x.row);
}

function tableLine(r: Row): string {
  const module = r.module === null ? '' : mdCode(r.module, true);
  const tensor = r.tensor === null ? '' : mdCode(r.tensor, true);
  return `| ${module} | ${mdCode(r.rule, true)} | ${r.count.toLocaleString('en-US')} | ${tensor} |`;
}

const TABLE_HEAD = ['| module | rule | count | tensor |', '|---|---|--:|---|'];

function findingsTable(rows: readonly Row[]): string[] {
  if (rows.length === 0) {
    return [];
  }
  const shown = rows.slice(0, MARKDOWN_MAX_ROWS);
  const out = [...TABLE_HEAD, ...shown.slice(0, MARKDOWN_VISIBLE_ROWS).map(tableLine), ''];
  const rest = shown.slice(MARKDOWN_VISIBLE_ROWS);
  if (rest.length > 0) {
    out.push(`<details><summary>${rest.length.toLocaleString('en-US')} more rows</summary>`, '');
    appendAll(out, TABLE_HEAD);
    appendAll(out, rest.map(tableLine));
    out.push('', '</details>', '');
  }
  if (rows.length > MARKDOWN_MAX_ROWS) {
    out.push(
      `… and ${(rows.length - MARKDOWN_MAX_ROWS).toLocaleString('en-US')} more (see the JSON export).`,
      '',
    );
  }
  return out;
}

function evidence(rows: readonly Row[]): string[] {
  if (rows.length === 0) {
    return [];
  }
  const items = rows.slice(0, MARKDOWN_MAX_ROWS).map((r) => `- ${r.evidence}`);
  return [
    `<details><summary>Evidence (${items.length.toLocaleString('en-US')})</summary>`,
    '',
    ...items,
    '',
    '</details>',
    '',
  ];
}

function errorLines(report: JsonReport): string[] {
  if (report.errors.length === 0) {
    return [];
  }
  const items = report.errors
    .slice(0, MARKDOWN_MAX_ROWS)
    .map((e) => `- ${mdCode(e.code, false)} ${mdText(e.message)}`);
  const more =
    report.errors.length > MARKDOWN_MAX_ROWS
      ? [
          `… and ${(report.errors.length - MARKDOWN_MAX_ROWS).toLocaleString('en-US')} more errors (see the JSON export).`,
          '',
        ]
      : [];
  return [
    `Errors: ${report.errors.length.toLocaleString('en-US')}`,
    '',
    ...folded(items, 'errors'),
    ...more,
  ];
}
