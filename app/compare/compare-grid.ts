import type { PairResult } from '../../core/diff/diff-types';

/** One cell of the compare heatmap: a layer x module, its worst pair, how many pairs it holds. */
export interface CompareCell {
  readonly layer: number;
  readonly module: string;
  readonly worst: PairResult;
  readonly pairs: number;
}

export interface CompareGrid {
  readonly layers: readonly number[];
  readonly modules: readonly string[];
  readonly cells: ReadonlyMap<string, CompareCell>;
}

export function cellKeyOf(layer: number, module: string): string {
  return `${layer}\u0000${module}`;
}

/** Lower is worse: not compared first, then by SQNR, identical and exact last. */
export function severity(p: PairResult): number {
  if (p.notCompared !== null) {
    return -Infinity;
  }
  if (p.sqnrDb !== null) {
    return p.sqnrDb;
  }
  return p.identical === true ? Infinity : Number.MAX_VALUE;
}

/**
 * The layer x module grid of a comparison's pairs (pairs outside the repeated blocks are left to
 * the list): each cell keeps its worst pair (experts of a module share a cell).
 */
export function compareGrid(pairs: readonly PairResult[]): CompareGrid {
  const cells = new Map<string, CompareCell>();
  const layers = new Set<number>();
  const modules = new Set<string>();
  for (const p of pairs) {
    if (p.layer === null) {
      continue;
    }
    layers.add(p.layer);
    modules.add(p.module);
    const key = cellKeyOf(p.layer, p.module);
    const old = cells.get(key);
    if (old === undefined) {
      cells.set(key, { layer: p.layer, module: p.module, worst: p, pairs: 1 });
    } else {
      cells.set(key, {
        ...old,
        worst: severity(p) < severity(old.worst) ? p : old.worst,
        pairs: old.pairs + 1,
      });
    }
  }
  return {
    layers: [...layers].sort((x, y) => x - y),
    modules: [...modules].sort(),
    cells,
  };
}

/** Pairs worst first (a stable order: ties by name). */
export function worstFirst(pairs: readonly PairResult[]): PairResult[] {
  return [...pairs].sort(
    (x, y) => severity(x) - severity(y) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0),
  );
}
