import type {
  FileScheme,
  Finding,
  ModuleAnalysis,
  QuantModule,
  ScaleTrend,
} from '../core/quant/index';

/**
 * The quantization analysis of a checkpoint, as cloneable data for the page: schemes and findings.
 * The modules and their analyses stay in the worker that ran it (`quantModule` fetches one): for
 * a ~50,000-module MoE they are ~80 MB of JSON-like data, and cloning them to the page cost its
 * main thread ~0.7 s of deserialization and GC for data it shows one module at a time.
 */
export interface QuantSummary {
  /** Names this analysis in the worker that ran it (for `quantModule`). */
  readonly id: number;
  readonly files: readonly FileScheme[];
  /** How many quantized modules were recognised and analysed. */
  readonly moduleCount: number;
  readonly findings: readonly Finding[];
  readonly configFile: string | null;
  /** Per-layer max / median of each module kind's effective scale (ScaleTrendChart); a few KB. */
  readonly scaleTrends?: readonly ScaleTrend[];
}

/** One quantized module and its analysis (as the scan's analysis left them). */
export interface QuantModuleDetail {
  readonly module: QuantModule;
  readonly analysis: ModuleAnalysis;
}
