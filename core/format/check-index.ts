import { CheckpointError } from './errors';
import type { ShardIndex } from './parse-index';
import type { SafetensorsHeader } from './tensor-info';

/**
 * Cross-checks an index against the shards it names. `shards` maps each shard file name present
 * among the opened files to its header, or to null when that shard failed to parse or could not be
 * opened at all (a FIFO, a dangling link: `openCheckpoint`'s `unreadable`; its own error is reported
 * elsewhere, so nothing more is said about its tensors). A shard the index names that is not a key
 * of `shards` was not among the files.
 */
export function checkIndex(
  index: ShardIndex,
  shards: ReadonlyMap<string, SafetensorsHeader | null>,
): CheckpointError[] {
  const errors: CheckpointError[] = [];
  const file = index.fileName;

  const listedPerShard = countListed(index);
  for (const shard of index.shardNames) {
    if (!shards.has(shard)) {
      const listed = listedPerShard.get(shard) ?? 0;
      errors.push(
        new CheckpointError(
          'IndexShardMissing',
          file,
          `shard ${JSON.stringify(shard)} (${listed} tensor${listed === 1 ? '' : 's'} listed) is not among the files`,
        ),
      );
    }
  }

  // Where each tensor actually is, over the shards this index names (in index order).
  const foundIn = new Map<string, string[]>();
  for (const shard of index.shardNames) {
    const header = shards.get(shard);
    if (header === undefined || header === null) {
      continue;
    }
    for (const name of header.byName.keys()) {
      const places = foundIn.get(name);
      if (places === undefined) {
        foundIn.set(name, [shard]);
      } else {
        places.push(shard);
      }
    }
  }

  for (const [tensor, shard] of index.weightMap) {
    const header = shards.get(shard);
    if (header === undefined || header === null || header.byName.has(tensor)) {
      continue;
    }
    const elsewhere = foundIn.get(tensor);
    const hint =
      elsewhere === undefined
        ? ''
        : ` (it is in ${elsewhere.map((s) => JSON.stringify(s)).join(', ')})`;
    errors.push(
      new CheckpointError(
        'IndexTensorMissing',
        file,
        `listed in shard ${JSON.stringify(shard)} but that shard has no such tensor${hint}`,
        tensor,
      ),
    );
  }

  for (const [tensor, places] of foundIn) {
    if (!index.weightMap.has(tensor)) {
      errors.push(
        new CheckpointError(
          'IndexTensorUnlisted',
          file,
          `present in shard ${places.map((s) => JSON.stringify(s)).join(' and ')} but not in weight_map`,
          tensor,
        ),
      );
    }
    if (places.length > 1) {
      errors.push(
        new CheckpointError(
          'IndexTensorInTwoShards',
          file,
          `present in ${places.length} shards: ${places.map((s) => JSON.stringify(s)).join(', ')}`,
          tensor,
        ),
      );
    }
  }
  return errors;
}

/**
 * Warnings that do not make the checkpoint invalid: a `total_size` that is unusable or differs from
 * the tensor bytes actually in the shards. Compared only when every shard is present and parsed.
 */
export function checkIndexTotalSize(
  index: ShardIndex,
  shards: ReadonlyMap<string, SafetensorsHeader | null>,
): string[] {
  if (index.totalSizeProblem !== null) {
    return [`${index.fileName}: ${index.totalSizeProblem}; it is ignored`];
  }
  if (index.totalSize === null) {
    return [];
  }
  let actual = 0n;
  for (const shard of index.shardNames) {
    const header = shards.get(shard);
    if (header === undefined || header === null) {
      return [];
    }
    for (const t of header.tensors) {
      actual += BigInt(t.nbytes);
    }
  }
  if (actual === index.totalSize) {
    return [];
  }
  return [
    `${index.fileName}: metadata.total_size says ${index.totalSize} bytes but the shards hold ${actual} bytes of tensor data`,
  ];
}

function countListed(index: ShardIndex): Map<string, number> {
  const counts = new Map<string, number>();
  for (const shard of index.weightMap.values()) {
    counts.set(shard, (counts.get(shard) ?? 0) + 1);
  }
  return counts;
}
