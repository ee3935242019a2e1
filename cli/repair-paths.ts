import type { BigIntStats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Result } from '../core/result';
import { err, ok } from '../core/result';
import type { OverwriteGuard } from './repair-overwrite';
import { checkpointFolders, overwriteProblem } from './repair-overwrite';
import { pathKind, unusableReason } from './path-kind';

/** One file to repair: `input` as shown to the user, `output` the target (null in a dry run). */
export interface RepairJob {
  readonly input: string;
  readonly output: string | null;
}

export interface RepairTargets {
  readonly mode: 'file' | 'folder';
  readonly jobs: readonly RepairJob[];
  /** The folder OUT (folder mode), created only when something is written; else null. */
  readonly outFolder: string | null;
}

const SAFETENSORS_SUFFIX = '.safetensors';

/** An OUT written with a trailing separator (`-o fixed/`) names a folder, never a file. */
function namesFolder(path: string): boolean {
  return path.endsWith('/') || path.endsWith(sep);
}

/** stat (following symlinks) with exact 64-bit inode numbers, or null when the path does not exist. */
export async function statOrNull(path: string): Promise<BigIntStats | null> {
  try {
    return await stat(path, { bigint: true });
  } catch {
    return null;
  }
}

/** Same file whatever the path (hard links, symlinks, `..`, case-insensitive volumes). */
export function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
async function canonicalPath(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(await canonicalPath(parent), basename(absolute));
  }
}

/** True when `target` is, or would be, the file or folder at `existing`. */
async function isSamePath(
  target: string,
  targetStat: BigIntStats | null,
  existing: string,
  existingStat: BigIntStats,
): Promise<boolean> {
  if (targetStat !== null && sameFile(targetStat, existingStat)) {
    return true;
  }
  return (await canonicalPath(target)) === (await canonicalPath(existing));
}

/**
 * Works out what `repair IN -o OUT` reads and writes, refusing anything that could write into the
 * input: OUT resolving to IN (real paths), or naming the input file via another path (same inode),
 * and a manifest that would overwrite an input or an output. Existing targets follow the rules of
 * `repair-overwrite.ts` (`force`: `--force`); a target folder that does not exist is refused here,
 * before any byte is written.
 */
export async function resolveRepairTargets(
  input: string,
  output: string | null,
  manifest: string | null,
  force = false,
): Promise<Result<RepairTargets, string>> {
  const inStat = await statOrNull(input);
  if (inStat === null) {
    return err(`${input}: no such file or folder`);
  }
  let targets: Result<RepairTargets, string>;
  if (inStat.isFile()) {
    const guard = { force, checkpointFolders: await checkpointFolders(dirname(input), [input]) };
    targets = await fileTargets(input, inStat, output, guard);
  } else if (inStat.isDirectory()) {
    targets = await folderTargets(input, inStat, output, force);
  } else {
    return err(`${input}: neither a file nor a folder`);
  }
  if (!targets.ok || manifest === null) {
    return targets;
  }
  const guard = {
    force,
    checkpointFolders: await checkpointFolders(
      inStat.isDirectory() ? input : dirname(input),
      targets.value.jobs.map((j) => j.input),
    ),
  };
  const problem = await manifestProblem(manifest, targets.value, guard);
  return problem === null ? targets : err(problem);
}

async function fileTargets(
  input: string,
  inStat: BigIntStats,
  output: string | null,
  guard: OverwriteGuard,
): Promise<Result<RepairTargets, string>> {
  if (output === null) {
    return ok({ mode: 'file', jobs: [{ input, output: null }], outFolder: null });
  }
  const outStat = await statOrNull(output);
  if (namesFolder(output) && outStat?.isDirectory() !== true) {
    return err(`cannot write into ${output}: the folder does not exist`);
  }
  const target = outStat?.isDirectory() === true ? join(output, basename(input)) : output;
  const targetStat = target === output ? outStat : await statOrNull(target);
  if (await isSamePath(target, targetStat, input, inStat)) {
    return err(
      `refusing to write ${target}: it is the input file ${input} (repair never writes into its input)`,
    );
  }
  const overwrite = await overwriteProblem(target, 'OUT', guard);
  if (overwrite !== null) {
    return err(overwrite);
  }
  if ((await statOrNull(dirname(target)))?.isDirectory() !== true) {
    return err(`cannot write ${target}: the folder ${dirname(target)} does not exist`);
  }
  return ok({ mode: 'file', jobs: [{ input, output: target }], outFolder: null });
}

async function folderTargets(
  input: string,
  inStat: BigIntStats,
  output: string | null,
  force: boolean,
): Promise<Result<RepairTargets, string>> {
  const shards: { path: string; stat: BigIntStats; name: string }[] = [];
  const raw = await readdir(input, { encoding: 'buffer' });
  for (const bytes of raw.sort(Buffer.compare)) {
    const name = bytes.toString('utf8');
    if (!name.endsWith(SAFETENSORS_SUFFIX)) {
      continue;
    }
    const path = join(input, name);
    // A shard that cannot be read is refused, never silently left out of the repair.
    if (!Buffer.from(name, 'utf8').equals(bytes)) {
      return err(`${path}: the file name is not valid UTF-8; rename it to repair this folder`);
    }
    const kind = await pathKind(path);
    if (kind.kind === 'file') {
      shards.push({ path, stat: kind.stat, name });
    } else if (kind.kind !== 'folder') {
      return err(`${path}: ${unusableReason(kind)}`);
    }
  }
  if (shards.length === 0) {
    return err(`${input}: the folder holds no .safetensors file`);
  }
  if (output === null) {
    return ok({
      mode: 'folder',
      jobs: shards.map((s) => ({ input: s.path, output: null })),
      outFolder: null,
    });
  }
  const outStat = await statOrNull(output);
  if (outStat !== null && !outStat.isDirectory()) {
    return err(`${output} is not a folder; when IN is a folder, OUT must be a folder`);
  }
  if (await isSamePath(output, outStat, input, inStat)) {
    return err(
      `refusing to write into ${output}: it is the input folder ${input} (repair never writes into its input)`,
    );
  }
  const guard = {
    force,
    checkpointFolders: await checkpointFolders(
      input,
      shards.map((s) => s.path),
    ),
  };
  const jobs: RepairJob[] = [];
  for (const shard of shards) {
    const target = join(output, shard.name);
    const targetStat = await statOrNull(target);
    if (await isSamePath(target, targetStat, shard.path, shard.stat)) {
      return err(`refusing to write ${target}: it is the input file ${shard.path}`);
    }
    const overwrite = await overwriteProblem(target, 'OUT', guard);
    if (overwrite !== null) {
      return err(overwrite);
    }
    jobs.push({ input: shard.path, output: target });
  }
  return ok({ mode: 'folder', jobs, outFolder: output });
}

async function manifestProblem(
  manifest: string,
  targets: RepairTargets,
  guard: OverwriteGuard,
): Promise<string | null> {
  const { jobs } = targets;
  const mStat = await statOrNull(manifest);
  if (mStat !== null && !mStat.isFile()) {
    return `--manifest ${manifest} exists and is not a regular file`;
  }
  for (const job of jobs) {
    for (const path of [job.input, job.output]) {
      if (path === null) {
        continue;
      }
      const s = await statOrNull(path);
      const same =
        s === null
          ? (await canonicalPath(path)) === (await canonicalPath(manifest))
          : await isSamePath(manifest, mStat, path, s);
      if (same) {
        const what = path === job.input ? 'an input' : 'an output';
        return `refusing --manifest ${manifest}: it is ${what} file (${path})`;
      }
    }
  }
  const overwrite = await overwriteProblem(manifest, '--manifest', guard);
  if (overwrite !== null) {
    return overwrite;
  }
  // The OUT folder of a folder repair is created before the manifest is written.
  const folder = dirname(resolve(manifest));
  const created = targets.outFolder !== null && folder === resolve(targets.outFolder);
  if (!created && (await statOrNull(folder))?.isDirectory() !== true) {
    return `cannot write --manifest ${manifest}: the folder ${dirname(manifest)} does not exist`;
  }
  return null;
}
