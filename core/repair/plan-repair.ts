import { CheckpointError, isCheckpointError } from '../format/errors';
import type { SafetensorsHeader, TensorInfo } from '../format/tensor-info';
import type { ByteSource } from '../io/byte-source';
import type { Result } from '../result';
import { err, ok } from '../result';
import { DEFAULT_CHUNK_BYTES } from '../scan/scan-tensor';
import { chunkPatches } from './chunk-patches';
import type { BytePatch } from './chunk-patches';
import { CLASSIFY_READ_MAX_BYTES, classifyBlocks } from './block-class';
import type { BlockPairing } from './block-pairing';
import { pairedBlocks } from './block-pairing';
import type { ElementRule, TensorRole } from './element-rule';
import { elementRuleOf, ruleElementBytes } from './element-rule';
import type { Patch, PlanTensorSummary, RepairPlan } from './plan-types';
import { readBuffer, readRange } from '../io/read-range';
import type { RepairClass } from './repair-decisions';
import { bytePatchForClass, classificationOf } from './repair-decisions';
import type { RepairPolicy } from './repair-policy';
import { checkPolicy } from './repair-policy';
import { repairRefusal } from './repair-refusal';

export type {
  Patch,
  PatchClassification,
  PlanTensorSummary,
  RepairClass,
  RepairPlan,
  RepairRole,
} from './plan-types';
export type { TensorRole } from './element-rule';

export interface PlanRepairOptions {
  /** Bytes per read (rounded down to whole elements); tests inject tiny values. */
  readonly chunkBytes?: number;
  /** U8 tensors to treat as FP8 scales (see TensorRole); other tensors' entries are ignored. */
  readonly roles?: ReadonlyMap<string, TensorRole>;
  /** Checked between chunks; a cancelled plan fails with code `Cancelled`. */
  readonly signal?: { readonly aborted: boolean };
  /** Called after each chunk with bytes read so far and the total bytes of the candidate tensors. */
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Override of MAX_PLANNED_PATCHES (tests). */
  readonly maxPatches?: number;
}

/**
 * Byte patches one plan (one file) holds at most. A plan lists every patch, ~220 bytes each in
 * memory (measured: 4 Mi NaN scale bytes took the CLI to 940 MB), and the page gets a copy. The
 * browser's repaired file is a Blob of two parts per isolated patch, which Chromium builds at
 * ~0.35 ms a part and crashed on at 256 Ki patches (measured; 64 Ki took 25 s). The faults
 * ckptscope repairs are sparse (ModelOpt's NaN bytes: a few per scale tensor); a file with more
 * NaN bytes than this is not an export glitch that byte edits mend, and is refused with the tensor
 * where the count ran over.
 */
export const MAX_PLANNED_PATCHES = 1 << 16;

/** The widest element a rule reads (F32): a chunk is never smaller than one element. */
const MAX_ELEMENT_BYTES = 4;

interface Candidate {
  readonly tensor: TensorInfo;
  readonly rule: ElementRule;
  /** The weight blocks a block scale multiplies, when found (its patches are then classified). */
  readonly blocks: BlockPairing | null;
}

/**
 * Plans a repair of one file: streams only the tensors the policy covers (F8_E4M3 always, F8_E8M0
 * with `policy.e8m0`, BF16/F16/F32 with `policy.float`, U8 per `roles`), chunk by chunk, and lists
 * one patch per byte that must change. NaN block scales of NVFP4 and MX weights are classified by
 * reading their paired weight blocks (neutral / clamped / destroyed); a destroyed block's scale
 * becomes the zero scale (repair-decisions.ts). Refuses (`RepairRefused`) files with duplicate header keys, a header
 * that does not belong to this source, and invalid policies. Never rejects; throws a RangeError only
 * for a non-positive `chunkBytes` (a caller bug).
 */
export async function planRepair(
  source: ByteSource,
  header: SafetensorsHeader,
  policy: RepairPolicy,
  options: PlanRepairOptions = {},
): Promise<Result<RepairPlan, CheckpointError>> {
  const refusal = repairRefusal(source, header);
  if (refusal !== null) {
    return err(refusal);
  }
  const policyProblem = checkPolicy(policy);
  if (policyProblem !== null) {
    return err(
      new CheckpointError('RepairRefused', source.name, `invalid policy: ${policyProblem}`),
    );
  }
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isFinite(chunkBytes) || chunkBytes <= 0) {
    throw new RangeError(`chunkBytes must be a positive number, got ${chunkBytes}`);
  }
  const candidates = selectCandidates(header, policy, options.roles);
  const total = candidates.reduce((n, c) => n + c.tensor.nbytes, 0);
  const patches: Patch[] = [];
  const tensors: PlanTensorSummary[] = [];
  let done = 0;
  try {
    const buffers = planBuffers(source, candidates, chunkBytes);
    const maxPatches = options.maxPatches ?? MAX_PLANNED_PATCHES;
    for (const candidate of candidates) {
      const room = maxPatches - patches.length;
      const planned = await planTensor(
        source,
        candidate,
        chunkBytes,
        buffers,
        options,
        room,
        (n) => {
          done += n;
          options.onProgress?.(done, total);
        },
      );
      if (planned.length > 0) {
        for (const p of planned) {
          patches.push(p);
        }
        tensors.push(summarize(candidate, planned));
      }
    }
  } catch (e) {
    if (isCheckpointError(e)) {
      return err(e);
    }
    throw e;
  }
  patches.sort((a, b) => a.offset - b.offset);
  return ok({
    file: source.name,
    fileSize: source.size,
    headerLength: header.headerLength,
    patches,
    tensors,
  });
}

/** The tensors the policy covers, with their rule and (block scales) their paired weight blocks. */
function selectCandidates(
  header: SafetensorsHeader,
  policy: RepairPolicy,
  roles: ReadonlyMap<string, TensorRole> | undefined,
): Candidate[] {
  const candidates: Candidate[] = [];
  for (const tensor of header.tensors) {
    const rule = elementRuleOf(tensor, policy, roles);
    if (rule !== null && tensor.nbytes > 0) {
      candidates.push(withBlocks(header, tensor, rule));
    }
  }
  return candidates;
}

/** An FP8 scale paired with packed FP4 codes is an NVFP4 block scale; E8M0 scales pair with MX blocks. */
function withBlocks(header: SafetensorsHeader, tensor: TensorInfo, rule: ElementRule): Candidate {
  if (rule.kind === 'fp8' && rule.role === 'fp8-scale') {
    const blocks = pairedBlocks(header, tensor, 'F8_E4M3');
    return blocks === null
      ? { tensor, rule, blocks }
      : { tensor, rule: { ...rule, role: 'fp4-block-scale' }, blocks };
  }
  if (rule.kind === 'e8m0') {
    return { tensor, rule, blocks: pairedBlocks(header, tensor, 'F8_E8M0') };
  }
  return { tensor, rule, blocks: null };
}

/** Read buffers allocated once per plan (null when the source cannot fill a caller's buffer). */
interface PlanBuffers {
  readonly chunk: Uint8Array | null;
  readonly blocks: Uint8Array | null;
}

function planBuffers(
  source: ByteSource,
  candidates: readonly Candidate[],
  chunkBytes: number,
): PlanBuffers {
  const largest = candidates.reduce((n, c) => Math.max(n, c.tensor.nbytes), 0);
  return {
    chunk: readBuffer(source, Math.max(MAX_ELEMENT_BYTES, Math.min(chunkBytes, largest))),
    blocks: candidates.some((c) => c.blocks !== null)
      ? readBuffer(source, CLASSIFY_READ_MAX_BYTES)
      : null,
  };
}

async function planTensor(
  source: ByteSource,
  { tensor, rule, blocks }: Candidate,
  chunkBytes: number,
  buffers: PlanBuffers,
  options: PlanRepairOptions,
  room: number,
  advance: (bytes: number) => void,
): Promise<Patch[]> {
  const width = ruleElementBytes(rule);
  const step = Math.max(width, Math.floor(chunkBytes / width) * width);
  const cols = tensor.shape.length === 0 ? 1 : tensor.shape[tensor.shape.length - 1];
  const out: Patch[] = [];
  for (let start = 0; start < tensor.nbytes; start += step) {
    if (options.signal?.aborted === true) {
      throw new CheckpointError('Cancelled', source.name, 'repair planning cancelled', tensor.name);
    }
    const length = Math.min(step, tensor.nbytes - start);
    const chunk = await readRange(
      source,
      tensor.offset + start,
      length,
      buffers.chunk,
      tensor.name,
    );
    const found = chunkPatches(rule, chunk, start, room - out.length);
    if (out.length + found.length > room) {
      throw tooManyPatches(source.name, tensor, rule, options.maxPatches ?? MAX_PLANNED_PATCHES);
    }
    const classes =
      blocks === null || found.length === 0
        ? null
        : await classifyBlocks(
            source,
            blocks,
            found.map((p) => p.flatIndex),
            buffers.blocks,
          );
    found.forEach((p, i) => {
      out.push(toPatch(tensor, cols, p, rule, classes === null ? null : classes[i]));
    });
    advance(length);
  }
  return out;
}

function tooManyPatches(
  file: string,
  tensor: TensorInfo,
  rule: ElementRule,
  limit: number,
): CheckpointError {
  return new CheckpointError(
    'RepairRefused',
    file,
    `more than ${limit.toLocaleString('en-US')} bytes would need patching (rule: NaN/Inf ${rule.treatedAs} ` +
      `values, counted up to ${tensor.name}); a repair plan holds at most that many. Byte edits ` +
      'mend sparse export faults; a checkpoint this damaged needs a new export',
    tensor.name,
  );
}

/** A planned byte change, with its block's class and the byte that class calls for. */
function toPatch(
  tensor: TensorInfo,
  cols: number,
  p: BytePatch,
  rule: ElementRule,
  cls: RepairClass | null,
): Patch {
  return {
    tensor: tensor.name,
    flatIndex: p.flatIndex,
    row: Math.floor(p.flatIndex / cols),
    col: p.flatIndex % cols,
    offset: tensor.offset + p.tensorByte,
    old: p.old,
    new: bytePatchForClass(p.new, cls),
    classification: classificationOf(rule.role, cls),
    class: cls,
  };
}

function summarize({ tensor, rule }: Candidate, patches: readonly Patch[]): PlanTensorSummary {
  const counts = { neutral: 0, clamped: 0, destroyed: 0, lossy: 0 };
  for (const p of patches) {
    if (p.class !== null) {
      counts[p.class]++;
    }
    if (p.classification === 'lossy') {
      counts.lossy++;
    }
  }
  return {
    name: tensor.name,
    dtype: tensor.dtype,
    treatedAs: rule.treatedAs,
    role: rule.role,
    patches: patches.length,
    ...counts,
  };
}
