import type { ModuleScheme, QuantProducer } from './quant-types';
import { QUANT_SCHEMES } from './quant-types';

/** Every module scheme in the order that breaks frequency ties (the order of `QUANT_SCHEMES`). */
export const SCHEME_ORDER: readonly ModuleScheme[] = QUANT_SCHEMES.filter(
  (s): s is ModuleScheme => s !== 'none',
);

/**
 * The key with the highest count, ties broken by `order` (earlier wins; keys missing from `order`
 * come first, as `indexOf` gives them -1), then by the map's insertion order. Undefined when empty.
 */
export function mostCounted<T>(counts: ReadonlyMap<T, number>, order: readonly T[]): T | undefined {
  let best: T | undefined;
  let bestCount = 0;
  let bestRank = 0;
  counts.forEach((count, key) => {
    const rank = order.indexOf(key);
    if (best === undefined || count > bestCount || (count === bestCount && rank < bestRank)) {
      best = key;
      bestCount = count;
      bestRank = rank;
    }
  });
  return best;
}

/** One scheme's share of the tallied modules. */
interface SchemeShare {
  count: number;
  /** How many of them the config confirmed (source `config`). */
  fromConfig: number;
  /** Their non-null producers by count, in the order first seen. */
  readonly producers: Map<QuantProducer, number>;
}

/**
 * Per scheme: how many modules (or candidates), how many the config confirmed, and their producers,
 * counted in one pass. The verdicts over 100,000 modules filtered, mapped and flat-mapped the whole
 * list ~8 times (an array per module) to find the same numbers.
 */
export class SchemeTally {
  private readonly shares = new Map<ModuleScheme, SchemeShare>();

  add(scheme: ModuleScheme, producer: QuantProducer | null, fromConfig: boolean): void {
    let share = this.shares.get(scheme);
    if (share === undefined) {
      share = { count: 0, fromConfig: 0, producers: new Map() };
      this.shares.set(scheme, share);
    }
    share.count++;
    if (fromConfig) {
      share.fromConfig++;
    }
    if (producer !== null) {
      share.producers.set(producer, (share.producers.get(producer) ?? 0) + 1);
    }
  }

  /** How many were added with `scheme`. */
  count(scheme: ModuleScheme): number {
    return this.shares.get(scheme)?.count ?? 0;
  }

  /** How many of `scheme` the config confirmed. */
  fromConfig(scheme: ModuleScheme): number {
    return this.shares.get(scheme)?.fromConfig ?? 0;
  }

  /** The schemes present, most frequent first, ties by `SCHEME_ORDER`. */
  schemes(): ModuleScheme[] {
    return [...this.shares.keys()].sort(
      (a, b) => this.count(b) - this.count(a) || SCHEME_ORDER.indexOf(a) - SCHEME_ORDER.indexOf(b),
    );
  }

  /**
   * The most frequent scheme (ties by `SCHEME_ORDER`), `unknown` only when nothing else was added;
   * undefined when nothing was.
   */
  mostFrequent(): ModuleScheme | undefined {
    const counts = new Map<ModuleScheme, number>();
    this.shares.forEach((share, scheme) => {
      if (scheme !== 'unknown') {
        counts.set(scheme, share.count);
      }
    });
    if (counts.size > 0) {
      return mostCounted(counts, SCHEME_ORDER);
    }
    return this.shares.has('unknown') ? 'unknown' : undefined;
  }

  /** The most frequent producer of `scheme` (ties: the first seen), null when none was named. */
  producerOf(scheme: ModuleScheme): QuantProducer | null {
    const share = this.shares.get(scheme);
    return share === undefined ? null : (mostCounted(share.producers, []) ?? null);
  }
}
