import type { NamedFile } from '../../workers/scan.worker';

/**
 * The current checkpoint's files with `added` (say, the shard an IndexShardMissing card asked for):
 * a file of the same path replaces the one loaded before, the others keep their order.
 */
export function addFiles(current: readonly NamedFile[], added: readonly NamedFile[]): NamedFile[] {
  const names = new Set(added.map((f) => f.name));
  return [...current.filter((f) => !names.has(f.name)), ...added];
}
