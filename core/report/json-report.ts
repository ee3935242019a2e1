import type { SafetensorsHeader, TensorInfo } from '../format/tensor-info';
import type { CheckpointError, ErrorCode } from '../format/errors';
import type { Histogram, TensorStats } from '../scan/tensor-stats';
import { decodedAsOf } from '../scan/role-decode';
import type { DecodedAs } from '../scan/role-decode';
import type {
  FileScheme,
  Finding,
  FindingRule,
  QuantProducer,
  QuantScheme,
  SchemeSource,
  Severity,
} from '../quant/quant-types';

/**
 * The `--json` document of `ckptscope scan` and the app's "Export JSON". Field names are a public
 * contract (scripts depend on them): add fields, never rename. A field that does not apply is null.
 */
export interface JsonReport {
  readonly tool: { readonly name: 'ckptscope'; readonly version: string };
  readonly files: readonly JsonFile[];
  readonly errors: readonly JsonError[];
  /** Quantization lint findings over all files (empty when none were computed). */
  readonly findings: readonly JsonFinding[];
  /** False for a report exported mid-scan (partial: some tensors not scanned yet); the CLI's are complete. */
  readonly complete: boolean;
}

export interface JsonFile {
  readonly path: string;
  readonly size: number;
  readonly headerLength: number | null;
  readonly metadata: Readonly<Record<string, string>> | null;
  readonly tensors: readonly JsonTensor[];
  /** The quantization scheme recognised for this file; null when the file was not recognised (invalid). */
  readonly scheme: QuantScheme | null;
  readonly producer: QuantProducer | null;
  /** Whether the scheme came from a config the tensors agree with, or from names/dtypes/shapes alone. */
  readonly schemeSource: SchemeSource | null;
  /** How many quantized modules have their weight in this file (null when not recognised). */
  readonly quantizedModules: number | null;
}

/** One quantization finding (`rule` and `severity` names are part of the contract). */
export interface JsonFinding {
  readonly rule: FindingRule;
  readonly severity: Severity;
  readonly file: string | null;
  readonly module: string | null;
  readonly tensor: string | null;
  /** Affected elements. */
  readonly count: number;
  readonly message: string;
}

export interface JsonTensor {
  readonly name: string;
  /** The header's dtype, always. */
  readonly dtype: string;
  /**
   * Present when the tensor's role decodes its bytes as another format (`F8_E8M0` for a U8
   * `*_scales`, `F8_E4M3` for a U8 ComfyUI scale, `F4` for packed NVFP4 / MXFP4 weights): the value
   * fields are then those of the decoded values.
   */
  readonly decodedAs?: DecodedAs;
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
  /** With `--histograms` (which scans every tensor with one), each scanned tensor's histogram. */
  readonly histogram?: Histogram | null;
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
  /** The recognised quantization scheme, when recognition ran. */
  readonly quant?: FileScheme;
}

export interface JsonReportOptions {
  readonly version: string;
  /** Include each tensor's histogram (larger output). */
  readonly histograms?: boolean;
  /** Quantization lint findings to report. */
  readonly findings?: readonly Finding[];
  /** False when exported before the scan ended (default true). */
  readonly complete?: boolean;
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
      ...jsonFileHead(f),
      tensors: (f.header?.tensors ?? []).map((t) =>
        jsonTensor(t, f.stats.get(t.name), options.histograms === true),
      ),
      ...jsonFileTail(f),
    })),
    ...jsonReportTail(errors, options),
  };
}

/** A file's fields before `tensors` (shared by `buildJsonReport` and the streamed writer). */
export function jsonFileHead(
  f: FileResult,
): Pick<JsonFile, 'path' | 'size' | 'headerLength' | 'metadata'> {
  return {
    path: f.path,
    size: f.size,
    headerLength: f.header?.headerLength ?? null,
    metadata: f.header?.metadata ? Object.fromEntries(f.header.metadata) : null,
  };
}

/** A file's fields after `tensors`. */
export function jsonFileTail(
  f: FileResult,
): Pick<JsonFile, 'scheme' | 'producer' | 'schemeSource' | 'quantizedModules'> {
  return {
    scheme: f.quant?.scheme ?? null,
    producer: f.quant?.producer ?? null,
    schemeSource: f.quant?.source ?? null,
    quantizedModules: f.quant?.modules ?? null,
  };
}

/** The report's fields after `files`. */
export function jsonReportTail(
  errors: readonly ReportableError[],
  options: JsonReportOptions,
): Pick<JsonReport, 'errors' | 'findings' | 'complete'> {
  return {
    errors: errors.map((e) => ({
      path: e.file,
      code: e.code,
      tensor: e.tensor,
      message: e.message,
    })),
    findings: (options.findings ?? []).map((f) => ({
      rule: f.rule,
      severity: f.severity,
      file: f.file,
      module: f.module,
      tensor: f.tensor,
      count: f.count,
      message: f.message,
    })),
    complete: options.complete ?? true,
  };
}

/**
 * One tensor's JSON. Written as plain object literals, without spreads: V8 builds `{ ...a, ...b }`
 * as a slow dictionary object, and a million of them took the `--json` writer 15x longer than
 * the literals (measured: 200,000 tensors 33 s -> 2 s). Key order is the contract's field order.
 */
export function jsonTensor(
  t: TensorInfo,
  s: TensorStats | undefined,
  withHistogram: boolean,
): JsonTensor {
  if (s === undefined) {
    return {
      name: t.name,
      dtype: t.dtype,
      shape: t.shape,
      offset: t.offset,
      nbytes: t.nbytes,
      elements: t.elements,
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
  const float = s.floatLike;
  const out: Mutable<JsonTensor> = {
    name: t.name,
    dtype: t.dtype,
    shape: t.shape,
    offset: t.offset,
    nbytes: t.nbytes,
    elements: t.elements,
  } as Mutable<JsonTensor>;
  const decodedAs = decodedAsOf(t.dtype, s.dtype);
  if (decodedAs !== null) {
    out.decodedAs = decodedAs;
  }
  out.scanned = true;
  out.nan = float ? s.nan : null;
  out.posInf = float ? s.posInf : null;
  out.negInf = float ? s.negInf : null;
  out.zero = s.zero;
  out.subnormal = float ? s.subnormal : null;
  out.saturated = s.saturated;
  out.negative = s.negative;
  out.min = s.min;
  out.max = s.max;
  out.absmax = s.absmax;
  out.mean = s.mean;
  out.std = s.std;
  out.nanIndices = float ? s.nanIndices : null;
  out.infIndices = float ? s.infIndices : null;
  if (withHistogram) {
    out.histogram = s.histogram;
  }
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
