import { SharedEmptyStats } from '../core/scan/shared-empty-stats';
import type { TensorStats } from '../core/scan/tensor-stats';

const shared = new SharedEmptyStats();

/**
 * The worker's one stats object per dtype for zero-byte tensors: a message holding the same object
 * many times is cloned with it once (structured clone keeps references), so the page deserializes
 * one object per dtype and message instead of one per tensor.
 */
export function sharedEmptyStats(stats: TensorStats): TensorStats {
  return shared.of(stats);
}
