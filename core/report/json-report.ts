import type { SafetensorsHeader, TensorInfo } from '../format/tensor-info';
import type { CheckpointError, ErrorCode } from '../format/errors';
import type { Histogram, TensorStats } from '../scan/tensor-stats';

/**
 * The `--json` document of `ckptscope scan` and the app's "Export JSON". Field names are a public
 * contract (scripts depend on them): add fields, never rename. A field that does not apply is null.
 */
export interface JsonReport {
  readonly tool: { readonly name: 'ckptscope'; readonly version: string };
  readonly files: readonly JsonFile[];
  readonly errors: readonly JsonError[];
}

export interface JsonFile {
  readonly path: string;
  readonly size: number;
  readonly headerLength: number | null;
  readonly metadata: Readonly<Record<string, string>> | null;
  readonly tensors: readonly JsonTensor[];
}

export interface JsonTensor {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Absolute byte offset of the tensor's data in its file. */
  readonly offset: number;
  readonly nbytes: number;
  readonly elements: number;
  /** False until the tensor's bytes were scanned (e.g. a cancelled scan); the value fields are then null. */
  readonly scanned: boolean;
  readonly nan: number | null;
  readonly posInf: number | null;
  readonly negInf: number | null;
  readonly zero: number | null;
  readonly subnormal: number | null;
  readonly saturated: number | null;
  readonly negative: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly absmax: number | null;
  readonly mean: number | null;
  readonly std: number | null;
  readonly nanIndices: readonly number[] | null;
  readonly infIndices: readonly number[] | null;
  readonly histogram?: Histogram;
}

export interface JsonError {
  readonly path: string;
  readonly code: ErrorCode;
  readonly tensor: string | null;
  readonly message: string;
}

/** One file's contribution to a report: its header (null when it failed to parse) and what was scanned. */
export interface FileResult {
  readonly path: string;
  readonly size: number;
  readonly header: SafetensorsHeader | null;
  readonly stats: ReadonlyMap<string, TensorStats>;
}

export interface JsonReportOptions {
  readonly version: string;
  /** Include each tensor's histogram (larger output). */
  readonly histograms?: boolean;
}

/** What a report needs of an error: a CheckpointError, or the same fields after crossing a thread. */
export type ReportableError = Pick<CheckpointError, 'code' | 'file' | 'tensor' | 'message'>;

export function buildJsonReport(
  files: readonly FileResult[],
  errors: readonly ReportableError[],
  options: JsonReportOptions,
): JsonReport {
  return {
    tool: { name: 'ckptscope', version: options.version },
    files: files.map((f) => ({
      path: f.path,
      size: f.size,
      headerLength: f.header?.headerLength ?? null,
      metadata: f.header?.metadata ? Object.fromEntries(f.header.metadata) : null,
      tensors: (f.header?.tensors ?? []).map((t) =>
        jsonTensor(t, f.stats.get(t.name), options.histograms === true),
      ),
    })),
    errors: errors.map((e) => ({
      path: e.file,
      code: e.code,
      tensor: e.tensor,
      message: e.message,
    })),
  };
}

function jsonTensor(t: TensorInfo, s: TensorStats | undefined, withHistogram: boolean): JsonTensor {
  const base = {
    name: t.name,
    dtype: t.dtype,
    shape: t.shape,
    offset: t.offset,
    nbytes: t.nbytes,
    elements: t.elements,
  };
  if (s === undefined) {
    return {
      ...base,
      scanned: false,
      nan: null,
      posInf: null,
      negInf: null,
      zero: null,
      subnormal: null,
      saturated: null,
      negative: null,
      min: null,
      max: null,
      absmax: null,
      mean: null,
      std: null,
      nanIndices: null,
      infIndices: null,
    };
  }
  const floatOnly = <T>(v: T): T | null => (s.floatLike ? v : null);
  return {
    ...base,
    scanned: true,
    nan: floatOnly(s.nan),
    posInf: floatOnly(s.posInf),
    negInf: floatOnly(s.negInf),
    zero: s.zero,
    subnormal: floatOnly(s.subnormal),
    saturated: s.saturated,
    negative: s.negative,
    min: s.min,
    max: s.max,
    absmax: s.absmax,
    mean: s.mean,
    std: s.std,
    nanIndices: floatOnly(s.nanIndices),
    infIndices: floatOnly(s.infIndices),
    ...(withHistogram ? { histogram: s.histogram } : {}),
  };
}
