/**
 * Quantization-aware analysis: recognise a checkpoint's scheme, analyse each quantized module as a
 * unit (scales decoded by role, effective scales, code histograms, dequantized values), lint it.
 * The app and the CLI import from here.
 */
export { recognizeScheme } from './recognize-scheme';
export type { ConfigIssue, RecognizeOptions, SchemeReport } from './recognize-scheme';
export { analyzeModule } from './analyze/analyze-module';
export { knownCodeEntry, knownCodesOf, moduleCodeEntries } from './analyze/known-codes';
export type { KnownCodeEntry } from './analyze/known-codes';
export { refineLayout } from './analyze/refine-layout';
export type { AnalyzeOptions, EffectiveScale, ModuleAnalysis } from './analyze/analyze-module';
export type { KnownCodes, ScaleSummary } from './analyze/summarize-scale';
export type { WeightSummary } from './analyze/weight-pass';
export { lintCheckpoint } from './lint/lint-checkpoint';
export type { LintContext, StatsByFile } from './lint/lint-checkpoint';
export { checkpointScaleTrends } from './lint/scale-trend';
export type { ScaleTrend, TrendPoint } from './lint/scale-trend';
export { dequantizedHistogram, dequantizeElements } from './dequantize';
export type { DequantHistogram, DequantHistogramOptions } from './dequantize';
export { scaleRoles } from './scale-roles';
export type { ScaleRole } from './scale-roles';
export { swizzledShape, swizzleIndex, unswizzleIndex } from './swizzle';
export { decodeBlocker } from './decode/decode-weights';
export { sourceMap } from './stream/read-exact';
export type { SourceMap, StreamOptions } from './stream/read-exact';
export type { ExponentHistogram } from './stream/exponent-bins';
export { readQuantConfig } from './read-quant-config';
export type { QuantConfig, DeclaredQuant } from './read-quant-config';
export { QUANT_PRODUCERS, QUANT_SCHEMES } from './quant-types';
export type {
  FileScheme,
  Finding,
  FindingRule,
  ModuleScheme,
  OrphanTensor,
  QuantModule,
  QuantProducer,
  QuantRole,
  QuantScheme,
  SchemeSource,
  Severity,
  TensorRef,
} from './quant-types';
export type {
  Fp4Layout,
  Fp8Layout,
  Int4Layout,
  Nf4Layout,
  QuantLayout,
  ScaleEncoding,
} from './quant-layout';
export { ModuleLookup } from './module-lookup';
