import { appendAll } from '../core/append-all';
import { positionUnit, tensorPosition } from '../core/report/tensor-position';
import { failsCheckpoint } from '../core/report/exit-status';
import type { FileResult } from '../core/report/json-report';
import type { CheckpointError } from '../core/format/errors';
import type { TensorStats } from '../core/scan/tensor-stats';
import type { TensorInfo } from '../core/format/tensor-info';
import type { FileScheme, Finding } from '../core/quant/quant-types';
import { formatBytes, terminalName, terminalSafe } from './terminal-text';
import { anyBadValues } from './file-stats';

/** How many NaN/Inf positions the readable report prints per tensor (the JSON has up to 1,000). */
const POSITIONS_SHOWN = 5;

/** One position in brackets: `[5]` in a 1-D tensor, `[1, 2]` (row, col) otherwise. */
function bracketed(shape: readonly number[], flat: number): string {
  const p = tensorPosition(shape, flat);
  switch (p.kind) {
    case 'index':
      return `[${p.index}]`;
    case 'row-col':
      return `[${p.row}, ${p.col}]`;
  }
}

function bad(s: TensorStats): number {
  return s.nan + s.posInf + s.negInf;
}

function describeTensor(t: TensorInfo, s: TensorStats): string {
  const parts: string[] = [];
  if (s.nan > 0) {
    parts.push(`NaN ${s.nan}`);
  }
  if (s.posInf > 0) {
    parts.push(`+Inf ${s.posInf}`);
  }
  if (s.negInf > 0) {
    parts.push(`-Inf ${s.negInf}`);
  }
  const first = [...s.nanIndices, ...s.infIndices].sort((a, b) => a - b).slice(0, POSITIONS_SHOWN);
  // A 1-D (or scalar) tensor has no rows: its positions are plain indices (as in every view).
  const where = first.map((i) => bracketed(t.shape, i)).join(' ');
  const more = bad(s) > first.length ? ' ...' : '';
  // A U8 tensor decoded by its role (an E8M0 scale) says so: its counts are the decoded values'.
  const dtype = s.dtype === t.dtype ? t.dtype : `${t.dtype} as ${s.dtype}`;
  return `    ${terminalName(t.name)}  ${dtype} [${t.shape.join(', ')}]  ${parts.join(', ')}  at ${positionUnit(t.shape)} ${where}${more}`;
}

/** Finding rules that make a file FAIL even when the plain scan saw no NaN (U8-stored scale bytes). */
const NAN_RULES: ReadonlySet<string> = new Set(['nan-scale', 'inf-scale']);

/** What a file's line says of its findings when no tensor of it holds NaN/Inf. */
interface FileFindings {
  /** nan-scale / inf-scale findings: scale tensors with NaN/Inf once decoded by role. */
  badScales: number;
  /** Findings that fail the checkpoint (exit-status.ts), as they fail the exit status. */
  failing: number;
}

const NO_FILE_FINDINGS: FileFindings = { badScales: 0, failing: 0 };

/** Per file, in one pass over the findings (not one pass per file: 5,000 shards × 200,000 findings). */
function findingsPerFile(findings: readonly Finding[]): Map<string, FileFindings> {
  const perFile = new Map<string, FileFindings>();
  for (const x of findings) {
    if (x.file === null) {
      continue;
    }
    const nanRule = NAN_RULES.has(x.rule);
    const failing = failsCheckpoint(x);
    if (!nanRule && !failing) {
      continue;
    }
    let entry = perFile.get(x.file);
    if (entry === undefined) {
      entry = { badScales: 0, failing: 0 };
      perFile.set(x.file, entry);
    }
    entry.badScales += nanRule ? 1 : 0;
    entry.failing += failing ? 1 : 0;
  }
  return perFile;
}

/** `scheme: nvfp4 (modelopt, from config)`, `scheme: none`, `scheme: unknown (unrecognised)`. */
export function describeScheme(q: FileScheme): string {
  if (q.scheme === 'none') {
    return 'scheme: none';
  }
  if (q.scheme === 'unknown') {
    return 'scheme: unknown (unrecognised)';
  }
  const from = q.source === null ? [] : [`from ${q.source}`];
  const parts = [...(q.producer === null ? [] : [q.producer]), ...from];
  const others = q.schemes.filter((s) => s !== q.scheme);
  const mixed = others.length > 0 ? `; also ${others.join(', ')}` : '';
  return `scheme: ${q.scheme} (${parts.join(', ')}${mixed})`;
}

/** One finding line: severity, rule, module, then the evidence. */
export function describeFinding(
  f: Finding,
  fileName: (path: string) => string = terminalName,
): string {
  const tensor = f.tensor === null ? null : terminalName(f.tensor);
  const file = f.file === null ? null : fileName(f.file);
  const where =
    tensor !== null && file !== null
      ? ` [${tensor} in ${file}]`
      : tensor !== null || file !== null
        ? ` [${tensor ?? file}]`
        : '';
  return `  ${f.severity.padEnd(7)} ${f.rule.padEnd(24)} ${terminalName(f.module ?? '-')}: ${terminalSafe(f.message)}${where}`;
}

/**
 * `terminalName`, remembering the last name shown: a report names the same file on each of its
 * findings (200,000 of them for a layer of 100,000 broken experts), one escape is enough.
 */
function lastNameMemo(): (path: string) => string {
  let last: string | null = null;
  let shown = '';
  return (path) => {
    if (path !== last) {
      last = path;
      shown = terminalName(path);
    }
    return shown;
  };
}

function findingsSection(findings: readonly Finding[]): string[] {
  if (findings.length === 0) {
    return [];
  }
  const count: Record<Finding['severity'], number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) {
    count[f.severity]++;
  }
  const lines = [
    '',
    `Quantization findings: ${count.error} error(s), ${count.warning} warning(s), ${count.info} info`,
  ];
  const fileName = lastNameMemo();
  for (const f of findings) {
    lines.push(describeFinding(f, fileName));
  }
  return lines;
}

/** The human-readable report: a verdict and scheme per file, every tensor holding NaN/Inf, the findings. */
export function formatTextReport(
  files: readonly FileResult[],
  errors: readonly CheckpointError[],
  elapsedSeconds: number,
  findings: readonly Finding[] = [],
  warnings: readonly string[] = [],
): string {
  const lines: string[] = [];
  const perFile = findingsPerFile(findings);
  const scannedBytes = files.reduce((n, f) => n + (f.header ? f.size : 0), 0);
  for (const f of files) {
    const name = terminalName(f.path);
    if (f.header === null) {
      continue;
    }
    const tensors = f.header.tensors;
    const badTensors = anyBadValues(f)
      ? tensors.filter((t) => {
          const s = f.stats.get(t.name);
          return s !== undefined && bad(s) > 0;
        })
      : [];
    const size = `${formatBytes(f.size)}, ${tensors.length} tensor${tensors.length === 1 ? '' : 's'}`;
    const scheme = f.quant === undefined ? [] : [`      ${describeScheme(f.quant)}`];
    if (badTensors.length === 0) {
      const { badScales, failing } = perFile.get(f.path) ?? NO_FILE_FINDINGS;
      lines.push(
        badScales > 0
          ? `FAIL  ${name} (${size}): NaN/Inf in ${badScales} scale tensor${badScales === 1 ? '' : 's'} decoded by role (see findings)`
          : failing > 0
            ? `FAIL  ${name} (${size}): no NaN or Inf, ${failing} error finding${failing === 1 ? '' : 's'} (see findings)`
            : `OK    ${name} (${size}): no NaN or Inf`,
      );
      appendAll(lines, scheme);
      continue;
    }
    let nan = 0;
    let inf = 0;
    for (const t of badTensors) {
      const s = f.stats.get(t.name);
      if (s !== undefined) {
        nan += s.nan;
        inf += s.posInf + s.negInf;
      }
    }
    lines.push(
      `FAIL  ${name} (${size}): ${nan} NaN and ${inf} Inf in ${badTensors.length} tensor${badTensors.length === 1 ? '' : 's'}`,
    );
    appendAll(lines, scheme);
    for (const t of badTensors) {
      const s = f.stats.get(t.name);
      if (s !== undefined) {
        lines.push(describeTensor(t, s));
      }
    }
  }
  for (const e of errors) {
    lines.push(`ERROR ${terminalSafe(e.message)}`);
  }
  for (const w of warnings) {
    lines.push(`WARN  ${terminalSafe(w)}`);
  }
  appendAll(lines, findingsSection(findings));
  const rate = elapsedSeconds > 0 ? ` (${formatBytes(scannedBytes / elapsedSeconds)}/s)` : '';
  lines.push('');
  lines.push(
    `Scanned ${files.filter((f) => f.header).length} file(s), ${formatBytes(scannedBytes)} in ${elapsedSeconds.toFixed(2)}s${rate}.`,
  );
  return `${lines.join('\n')}\n`;
}
