import { basename } from 'node:path';
import type { ManifestPolicy, ManifestTool, RepairManifest } from '../core/repair/manifest';
import { buildManifest, manifestPolicy, manifestTool } from '../core/repair/manifest';
import type { PlanTensorSummary } from '../core/repair/plan-types';
import { repairNotes } from '../core/repair/repair-notes';
import type { RepairPolicy } from '../core/repair/repair-policy';
import type { PlannedFile } from './repair-file';

/** The manifest of a folder repair: one file manifest per patched shard. */
export interface FolderManifest {
  readonly tool: ManifestTool;
  readonly policy: ManifestPolicy;
  /** IN and OUT as given (OUT is null in a dry run without -o). */
  readonly input: string;
  readonly output: string | null;
  /** Shards that needed patches, in name order. */
  readonly files: readonly RepairManifest[];
  /** Names of the shards that needed none (not written). */
  readonly unchanged: readonly string[];
  /** Patches of all shards by class, as each file manifest's summary counts them. */
  readonly summary: {
    readonly patches: number;
    readonly neutral: number;
    readonly clamped: number;
    readonly destroyed: number;
    readonly lossy: number;
  };
  /** The per-role, per-class notes over all shards. */
  readonly notes: readonly string[];
}

/** SHA-256 digests by input path. */
export type Digests = ReadonlyMap<
  string,
  { readonly input: string | null; readonly output: string | null }
>;

export interface ManifestContext {
  readonly mode: 'file' | 'folder';
  readonly input: string;
  readonly output: string | null;
  readonly policy: RepairPolicy;
  readonly version: string;
}

function fileManifest(p: PlannedFile, ctx: ManifestContext, digests: Digests): RepairManifest {
  const d = digests.get(p.job.input);
  return buildManifest(p.plan, ctx.policy, {
    toolVersion: ctx.version,
    sha256In: d?.input ?? undefined,
    sha256Out: d?.output ?? undefined,
  });
}

/**
 * The document `--manifest` writes and `--json` prints: for a file IN, that file's manifest (also
 * when it needed no patch); for a folder IN, a FolderManifest.
 */
export function manifestDocument(
  ctx: ManifestContext,
  planned: readonly PlannedFile[],
  digests: Digests,
): RepairManifest | FolderManifest {
  if (ctx.mode === 'file' && planned.length === 1) {
    return fileManifest(planned[0], ctx, digests);
  }
  const files = planned
    .filter((p) => p.plan.patches.length > 0)
    .map((p) => fileManifest(p, ctx, digests));
  const summary = { patches: 0, neutral: 0, clamped: 0, destroyed: 0, lossy: 0 };
  const tensors: PlanTensorSummary[] = [];
  for (const f of files) {
    summary.patches += f.summary.patches;
    summary.neutral += f.summary.neutral;
    summary.clamped += f.summary.clamped;
    summary.destroyed += f.summary.destroyed;
    summary.lossy += f.summary.lossy;
    for (const t of f.summary.tensors) {
      tensors.push(t);
    }
  }
  return {
    tool: manifestTool(ctx.version),
    policy: manifestPolicy(ctx.policy),
    input: ctx.input,
    output: ctx.output,
    files,
    unchanged: planned.filter((p) => p.plan.patches.length === 0).map((p) => basename(p.job.input)),
    summary,
    notes: repairNotes(tensors),
  };
}
