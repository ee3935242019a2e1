import type { PatchClassification, PlanTensorSummary, RepairClass, RepairPlan } from './plan-types';
import { repairNotes } from './repair-notes';
import type { FloatReplacement, Fp8Replacement, RepairPolicy } from './repair-policy';
import { describePolicy, formatPolicy } from './repair-policy';

/** Used when the caller does not say which version of the tool wrote the manifest. */
const UNKNOWN_VERSION = '0.0.0-dev';

export interface ManifestPatch {
  readonly tensor: string;
  readonly flatIndex: number;
  readonly row: number;
  readonly col: number;
  readonly offset: number;
  readonly old: number;
  readonly new: number;
  readonly classification: PatchClassification;
  /** `neutral` | `clamped` | `destroyed` for a classified block scale, else null. */
  readonly class: RepairClass | null;
}

/**
 * The record of one file's repair, as JSON-ready plain values. Field names are a public contract
 * (scripts depend on them): add fields, never rename.
 */
export interface ManifestTool {
  readonly name: 'ckptscope';
  readonly version: string;
}

/** The policy as recorded: the object itself plus its canonical text and plain-words description. */
export interface ManifestPolicy {
  /** The canonical `--policy` text. */
  readonly text: string;
  readonly description: string;
  readonly fp8: Fp8Replacement;
  readonly e8m0: { readonly byte: number } | null;
  readonly float: FloatReplacement | null;
}

export interface RepairManifest {
  readonly tool: ManifestTool;
  readonly policy: ManifestPolicy;
  readonly file: string;
  readonly size: number;
  readonly patches: readonly ManifestPatch[];
  readonly summary: {
    readonly patches: number;
    /** Patches per class; `lossy` counts every patch that changes a value (clamped, destroyed, float). */
    readonly neutral: number;
    readonly clamped: number;
    readonly destroyed: number;
    readonly lossy: number;
    /** One entry per patched tensor, in file order. */
    readonly tensors: readonly PlanTensorSummary[];
  };
  /** What the patches do to the weights, per role and class (the words the CLI and the app show). */
  readonly notes: readonly string[];
  /** Lower-case hex digests of the input and output files, when computed. */
  readonly sha256: { readonly input: string | null; readonly output: string | null } | null;
}

export interface ManifestExtras {
  readonly sha256In?: string;
  readonly sha256Out?: string;
  readonly toolVersion?: string;
}

export function manifestTool(version: string | undefined): ManifestTool {
  return { name: 'ckptscope', version: version ?? UNKNOWN_VERSION };
}

export function manifestPolicy(policy: RepairPolicy): ManifestPolicy {
  return {
    text: formatPolicy(policy),
    description: describePolicy(policy),
    fp8: policy.fp8,
    e8m0: policy.e8m0,
    float: policy.float,
  };
}

export function buildManifest(
  plan: RepairPlan,
  policy: RepairPolicy,
  extras: ManifestExtras = {},
): RepairManifest {
  const patches = plan.patches.map((p) => ({
    tensor: p.tensor,
    flatIndex: p.flatIndex,
    row: p.row,
    col: p.col,
    offset: p.offset,
    old: p.old,
    new: p.new,
    classification: p.classification,
    class: p.class,
  }));
  const { sha256In, sha256Out } = extras;
  return {
    tool: manifestTool(extras.toolVersion),
    policy: manifestPolicy(policy),
    file: plan.file,
    size: plan.fileSize,
    patches,
    summary: {
      patches: patches.length,
      neutral: patches.filter((p) => p.class === 'neutral').length,
      clamped: patches.filter((p) => p.class === 'clamped').length,
      destroyed: patches.filter((p) => p.class === 'destroyed').length,
      lossy: patches.filter((p) => p.classification === 'lossy').length,
      tensors: plan.tensors.map((t) => ({ ...t })),
    },
    notes: repairNotes(plan.tensors),
    sha256:
      sha256In === undefined && sha256Out === undefined
        ? null
        : { input: sha256In ?? null, output: sha256Out ?? null },
  };
}
