import type { Candidate } from './classify/candidate';
import type { QuantConfig } from './read-quant-config';
import type { ModuleScheme, QuantProducer } from './quant-types';
import { mostCounted, SchemeTally } from './scheme-tally';

/** The scheme a checkpoint as a whole uses: what lone weights (no scales at all) are judged by. */
export interface SchemeContext {
  readonly scheme: ModuleScheme;
  readonly producer: QuantProducer | null;
}

/** FP8-valued schemes: a lone FP8 `weight` in such a checkpoint is missing its scale. */
const FP8_SCHEMES: ReadonlySet<ModuleScheme> = new Set<ModuleScheme>([
  'fp8-tensor',
  'fp8-channel',
  'fp8-block',
  'mxfp8',
]);
/** Schemes whose packed codes sit in a U8 tensor named `weight` (not `weight_packed`, `qweight`, `_blocks`). */
const U8_WEIGHT_SCHEMES: ReadonlySet<ModuleScheme> = new Set<ModuleScheme>([
  'nvfp4',
  'mxfp4',
  'nf4',
]);
/** Producers that never name packed codes `weight`. */
const OTHER_WEIGHT_NAMES: ReadonlySet<QuantProducer> = new Set<QuantProducer>([
  'compressed-tensors',
  'gpt-oss',
  'autoawq',
  'gptq',
]);

/** The most frequent value, ties broken by `order`; undefined for an empty list. */
export function mostFrequent<T>(values: readonly T[], order: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) {
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return mostCounted(counts, order);
}

/**
 * The checkpoint's scheme: the config's declaration when it names a known scheme, else the most
 * frequent known scheme among the classified modules; null when there is none.
 */
export function contextScheme(
  quant: QuantConfig,
  candidates: readonly Candidate[],
): SchemeContext | null {
  if (quant.kind === 'quantized' && quant.scheme !== 'unknown') {
    return { scheme: quant.scheme, producer: quant.producer };
  }
  const tally = new SchemeTally();
  for (const c of candidates) {
    if (c.scheme !== null && c.scheme !== 'unknown') {
      tally.add(c.scheme, c.producer, false);
    }
  }
  const scheme = tally.mostFrequent();
  if (scheme === undefined) {
    return null;
  }
  return { scheme, producer: tally.producerOf(scheme) };
}

/** Whether a lone FP8 / U8 weight is a module missing its scales in a checkpoint of `context`. */
export function loneFits(candidate: Candidate, context: SchemeContext): boolean {
  if (candidate.lone === 'fp8') {
    return FP8_SCHEMES.has(context.scheme);
  }
  if (candidate.lone === 'u8') {
    const producer = context.producer;
    if (context.scheme === 'awq') {
      return producer === 'modelopt';
    }
    return (
      U8_WEIGHT_SCHEMES.has(context.scheme) &&
      (producer === null || !OTHER_WEIGHT_NAMES.has(producer))
    );
  }
  return false;
}
