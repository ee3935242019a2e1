import type { Candidate } from './classify/candidate';
import type { QuantConfig } from './read-quant-config';
import type { ModuleScheme, QuantProducer } from './quant-types';
import { QUANT_SCHEMES } from './quant-types';

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
  return [...counts].sort(
    (a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0]),
  )[0]?.[0];
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
  const known = candidates.filter(
    (c): c is Candidate & { scheme: ModuleScheme } => c.scheme !== null && c.scheme !== 'unknown',
  );
  const scheme = mostFrequent(
    known.map((c) => c.scheme),
    QUANT_SCHEMES.filter((s): s is ModuleScheme => s !== 'none'),
  );
  if (scheme === undefined) {
    return null;
  }
  const producers = known
    .filter((c) => c.scheme === scheme && c.producer !== null)
    .map((c) => c.producer);
  return { scheme, producer: mostFrequent(producers, producers) ?? null };
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
