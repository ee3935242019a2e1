import type { Checkpoint } from '../core/format/open-checkpoint';
import { dirPrefix } from '../core/format/classify-source';

/** Tensors the index lists in a shard that was not given (or could not be read), by shard path. */
export interface MissingShard {
  /** The shard's path as it would have been dropped (the index's folder + the shard name). */
  readonly file: string;
  readonly tensors: readonly string[];
}

/**
 * Every shard the index names that is not among the files, or whose header failed, with the tensors
 * the index places there: the page shows their layers as missing instead of leaving them out.
 */
export function missingShards(c: Checkpoint): MissingShard[] {
  const index = c.index;
  if (index === null) {
    return [];
  }
  const folder = dirPrefix(index.fileName).replaceAll('\\', '/');
  const readable = new Set<string>();
  for (const f of c.files) {
    if (f.header !== null) {
      readable.add(f.source.name.replaceAll('\\', '/'));
    }
  }
  const byShard = new Map<string, string[]>();
  for (const [tensor, shard] of index.weightMap) {
    const path = folder + shard;
    if (readable.has(path)) {
      continue;
    }
    let list = byShard.get(path);
    if (list === undefined) {
      list = [];
      byShard.set(path, list);
    }
    list.push(tensor);
  }
  return [...byShard].map(([file, tensors]) => ({ file, tensors }));
}
