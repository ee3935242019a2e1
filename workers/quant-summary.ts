import type { FileScheme, Finding, ModuleAnalysis, QuantModule } from '../core/quant/index';

/** The quantization analysis of a checkpoint, as cloneable data for the page. */
export interface QuantSummary {
  readonly files: readonly FileScheme[];
  readonly modules: readonly QuantModule[];
  readonly analyses: readonly ModuleAnalysis[];
  readonly findings: readonly Finding[];
  readonly configFile: string | null;
}
