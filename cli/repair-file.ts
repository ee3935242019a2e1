import type { BigIntStats } from 'node:fs';
import { CheckpointError, isCheckpointError } from '../core/format/errors';
import { readHeader } from '../core/format/parse-header';
import { planRepair } from '../core/repair/plan-repair';
import { recognizeScheme, scaleRoles } from '../core/quant/index';
import type { RepairPlan } from '../core/repair/plan-types';
import { repairParts } from '../core/repair/repair-parts';
import type { RepairPolicy } from '../core/repair/repair-policy';
import { sha256OfSource } from '../core/repair/sha256-stream';
import type { VerifyReport } from '../core/repair/verify-repair';
import { verifyRepair } from '../core/repair/verify-repair';
import type { Result } from '../core/result';
import { err, ok } from '../core/result';
import { DEFAULT_CHUNK_BYTES } from '../core/scan/scan-tensor';
import { openNodeFileSource } from './node-file-source';
import type { NodeFileSource } from './node-file-source';
import { lazyProgress, progressFeed } from './byte-progress';
import { createProgress } from './progress';
import type { RepairJob } from './repair-paths';
import { statOrNull } from './repair-paths';
import { writeRepaired } from './write-repaired';

/** Permission bits of a file mode. */
const PERMISSION_BITS = 0o777n;

export interface FileRunOptions {
  readonly chunkBytes: number | undefined;
  readonly showProgress: boolean;
}

/** A file whose plan is made, with what it looked like then (to notice it changing before the write). */
export interface PlannedFile {
  readonly job: RepairJob;
  readonly plan: RepairPlan;
  readonly identity: BigIntStats;
}

export interface WrittenFile {
  readonly planned: PlannedFile;
  readonly target: string;
  readonly report: VerifyReport;
  readonly sha256In: string | null;
  readonly sha256Out: string | null;
}

function sameContentIdentity(a: BigIntStats, b: BigIntStats | null): boolean {
  return (
    b !== null && a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs
  );
}

/** Reads the header and plans the repair of one file. Never writes. */
export async function planFile(
  job: RepairJob,
  policy: RepairPolicy,
  options: FileRunOptions,
): Promise<Result<PlannedFile, CheckpointError>> {
  const identity = await statOrNull(job.input);
  let source: NodeFileSource;
  try {
    if (identity === null) {
      throw new Error('no such file');
    }
    source = await openNodeFileSource(job.input);
  } catch (e) {
    return err(
      new CheckpointError(
        'ReadFailed',
        job.input,
        `cannot open: ${e instanceof Error ? e.message : String(e)}`,
      ),
    );
  }
  try {
    const header = await readHeader(source);
    if (!header.ok) {
      return header;
    }
    const progress = lazyProgress(options.showProgress);
    // FP8 scales stored as U8 (ComfyUI NVFP4, gpt-oss MXFP4) are repaired by their role.
    const roles = scaleRoles(recognizeScheme([header.value], null, null)).get(
      header.value.fileName,
    );
    const plan = await planRepair(source, header.value, policy, {
      roles,
      chunkBytes: options.chunkBytes,
      onProgress: progress.onProgress,
    });
    progress.done();
    return plan.ok ? ok({ job, plan: plan.value, identity }) : plan;
  } finally {
    await source.close();
  }
}

/** SHA-256 of a file, streamed. */
export async function hashFile(path: string, options: FileRunOptions): Promise<string> {
  const source = await openNodeFileSource(path);
  try {
    return await sha256OfSource(source, { chunkBytes: options.chunkBytes });
  } finally {
    await source.close();
  }
}

/**
 * Writes one planned repair to `target` through a verified temporary file (see writeRepaired):
 * refuses when the input changed since it was planned; verifies the temporary file against the plan
 * and the input; hashes both when asked.
 */
export async function writeFile(
  planned: PlannedFile,
  target: string,
  options: FileRunOptions & { readonly sha256: boolean; readonly force?: boolean },
): Promise<Result<WrittenFile, string>> {
  const { job, plan, identity } = planned;
  const changed = `${job.input} changed since it was planned; nothing written`;
  const source = await openNodeFileSource(job.input);
  try {
    if (
      !sameContentIdentity(identity, await statOrNull(job.input)) ||
      source.size !== plan.fileSize
    ) {
      return err(changed);
    }
    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    const passes = options.sha256 ? 4 : 2;
    const progress = createProgress(options.showProgress ? plan.fileSize * passes : 0);
    const found: { report?: VerifyReport; sha256In?: string; sha256Out?: string } = {};
    const written = await writeRepaired(source, repairParts(plan, source.size), target, {
      chunkBytes,
      mode: Number(identity.mode & PERMISSION_BITS),
      force: options.force === true,
      onBytes: (n) => progress.advance(n),
      check: async (temp) => {
        const output = await openNodeFileSource(temp, target);
        try {
          const verified = await verifyRepair(source, output, plan, {
            chunkBytes,
            onProgress: progressFeed((n) => progress.advance(n)),
          });
          if (!verified.ok) {
            return `verification failed, output deleted: ${verified.error.message}`;
          }
          if (!verified.value.patchedTensorsClean) {
            const names = verified.value.uncleanTensors.map((n) => JSON.stringify(n)).join(', ');
            return `verification failed, output deleted: NaN left in patched tensor(s) ${names}`;
          }
          found.report = verified.value;
          if (options.sha256) {
            found.sha256In = await sha256OfSource(source, {
              chunkBytes,
              onProgress: progressFeed((n) => progress.advance(n)),
            });
            found.sha256Out = await sha256OfSource(output, {
              chunkBytes,
              onProgress: progressFeed((n) => progress.advance(n)),
            });
          }
          return sameContentIdentity(identity, await statOrNull(job.input)) ? null : changed;
        } finally {
          await output.close();
        }
      },
    });
    progress.done();
    if (!written.ok || found.report === undefined) {
      return err(written.ok ? 'verification did not run' : written.error);
    }
    return ok({
      planned,
      target,
      report: found.report,
      sha256In: found.sha256In ?? null,
      sha256Out: found.sha256Out ?? null,
    });
  } catch (e) {
    if (isCheckpointError(e)) {
      return err(e.message);
    }
    throw e;
  } finally {
    await source.close();
  }
}
