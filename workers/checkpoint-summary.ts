import type { Checkpoint } from '../core/format/open-checkpoint';
import type { SafetensorsHeader } from '../core/format/tensor-info';
import { missingShards } from './missing-tensors';
import type { MissingShard } from './missing-tensors';
import { plainError } from './plain-error';
import type { PlainError } from './plain-error';

/** What the page needs to know about an opened checkpoint, as cloneable data (no sources, no classes). */
export interface CheckpointSummary {
  readonly files: readonly {
    readonly name: string;
    readonly size: number;
    readonly header: SafetensorsHeader | null;
    readonly error: PlainError | null;
  }[];
  readonly indexName: string | null;
  readonly indexErrors: readonly PlainError[];
  readonly indexWarnings: readonly string[];
  readonly config: unknown;
  readonly hfQuantConfig: unknown;
  readonly configErrors: readonly PlainError[];
  readonly ignored: readonly string[];
  /** Shards the index names that were not given or are invalid, with their tensors. */
  readonly missing: readonly MissingShard[];
}

export function summarizeCheckpoint(c: Checkpoint): CheckpointSummary {
  return {
    files: c.files.map((f) => ({
      name: f.source.name,
      size: f.source.size,
      header: f.header,
      error: f.error === null ? null : plainError(f.error, f.source.name),
    })),
    indexName: c.index?.fileName ?? null,
    indexErrors: c.indexErrors.map((e) => plainError(e, e.file)),
    indexWarnings: c.indexWarnings,
    config: c.config,
    hfQuantConfig: c.hfQuantConfig,
    configErrors: c.configErrors.map((e) => plainError(e, e.file)),
    ignored: c.ignored,
    missing: missingShards(c),
  };
}
