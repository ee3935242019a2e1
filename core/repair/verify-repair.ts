import type { Dtype } from '../dtype/dtype';
import { CheckpointError, isCheckpointError } from '../format/errors';
import { readHeader } from '../format/parse-header';
import type { ByteSource } from '../io/byte-source';
import type { Result } from '../result';
import { err, ok } from '../result';
import { DEFAULT_CHUNK_BYTES, scanTensor } from '../scan/scan-tensor';
import { compareWithPlan } from './compare-sources';
import type { RepairPlan } from './plan-types';

/** The 8-byte header-length prefix. */
const SIZE_PREFIX_BYTES = 8;

export interface VerifyReport {
  /** Bytes where input and output differ; equals the number of patches when verification passes. */
  readonly differingBytes: number;
  /** Every patched tensor of the output is free of NaN (and of ±Inf for BF16/F16/F32). */
  readonly patchedTensorsClean: boolean;
  /** The patched tensors that still hold NaN/Inf (empty when clean). */
  readonly uncleanTensors: readonly string[];
}

export interface VerifyOptions {
  readonly chunkBytes?: number;
  readonly signal?: { readonly aborted: boolean };
  /** Called while comparing, with bytes compared so far and the file size. */
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/**
 * Checks a written repair against its plan (safetensors-rules.md §8.5): both files have the planned
 * size; the output's header parses and has the input's length; streaming both, every differing byte
 * is a planned patch holding its planned old and new byte (so the header bytes are identical) and
 * the count equals the number of patches; then the patched tensors of the output are re-scanned.
 * A mismatch is a `RepairVerifyFailed` error; NaN left in patched tensors shows in the report.
 */
export async function verifyRepair(
  input: ByteSource,
  output: ByteSource,
  plan: RepairPlan,
  options: VerifyOptions = {},
): Promise<Result<VerifyReport, CheckpointError>> {
  const fail = (detail: string): Result<VerifyReport, CheckpointError> =>
    err(new CheckpointError('RepairVerifyFailed', output.name, detail));
  if (input.size !== plan.fileSize || output.size !== plan.fileSize) {
    return fail(
      `the plan is for ${plan.fileSize} bytes; the input has ${input.size} and the output ${output.size}`,
    );
  }
  const header = await readHeader(output);
  if (!header.ok) {
    return fail(`the output's header does not parse: ${header.error.message}`);
  }
  if (header.value.headerLength !== plan.headerLength) {
    return fail(
      `the output's header is ${header.value.headerLength} bytes, the input's ${plan.headerLength}`,
    );
  }
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  try {
    const compared = await compareWithPlan(
      input,
      output,
      plan.patches,
      SIZE_PREFIX_BYTES + plan.headerLength,
      { chunkBytes, onProgress: options.onProgress, signal: options.signal },
    );
    if (!compared.ok) {
      return fail(compared.error);
    }
    if (compared.value !== plan.patches.length) {
      return fail(`${compared.value} bytes differ but ${plan.patches.length} were planned`);
    }
    const uncleanTensors: string[] = [];
    for (const t of plan.tensors) {
      const info = header.value.byName.get(t.name);
      if (info === undefined) {
        return fail(`the output has no tensor ${JSON.stringify(t.name)}`);
      }
      const stats = await scanTensor(
        output,
        { ...info, dtype: t.treatedAs },
        { chunkBytes, signal: options.signal },
      );
      const bad = stats.nan + (hasInf(t.treatedAs) ? stats.posInf + stats.negInf : 0);
      if (bad > 0) {
        uncleanTensors.push(t.name);
      }
    }
    return ok({
      differingBytes: compared.value,
      patchedTensorsClean: uncleanTensors.length === 0,
      uncleanTensors,
    });
  } catch (e) {
    if (isCheckpointError(e)) {
      return err(e);
    }
    throw e;
  }
}

/** The float-policy dtypes, where ±Inf is repaired too (FP8 E4M3 and E8M0 have no Inf). */
function hasInf(dtype: Dtype): boolean {
  return dtype === 'F16' || dtype === 'BF16' || dtype === 'F32';
}
