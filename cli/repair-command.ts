import { mkdir } from 'node:fs/promises';
import { assertUnreachable } from '../core/dtype/dtype';
import { isCheckpointError } from '../core/format/errors';
import type { RepairArgs } from './repair-args';
import { parseRepairArgs, REPAIR_USAGE } from './repair-args';
import type { FileRunOptions, PlannedFile, WrittenFile } from './repair-file';
import { hashFile, planFile, writeFile } from './repair-file';
import type { Digests, ManifestContext } from './repair-manifest';
import { manifestDocument } from './repair-manifest';
import type { RepairTargets } from './repair-paths';
import { resolveRepairTargets } from './repair-paths';
import { formatPlan, formatPolicyLine, formatWritten, lossyNote } from './repair-text';
import { EXIT_CLEAN, EXIT_INVALID } from './scan-command';
import { installSignalCleanup } from './temp-files';
import { terminalSafe } from './terminal-text';
import { writeTextFileAtomic } from './write-repaired';

/** Exit statuses of `repair`: a public contract. */
export const REPAIR_EXIT_OK = EXIT_CLEAN;
export const REPAIR_EXIT_FAILED = EXIT_INVALID;

function fail(message: string): number {
  process.stderr.write(`ckptscope: ${terminalSafe(message)}\n`);
  return REPAIR_EXIT_FAILED;
}

/** `ckptscope repair`: parse, plan every file, then (unless a dry run) write, verify, record. */
export async function runRepair(argv: readonly string[], version: string): Promise<number> {
  const parsed = parseRepairArgs(argv);
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(REPAIR_USAGE);
      return REPAIR_EXIT_OK;
    case 'usage-error':
      process.stderr.write(`ckptscope: ${terminalSafe(parsed.message)}\n\n${REPAIR_USAGE}`);
      return REPAIR_EXIT_FAILED;
    case 'run':
      try {
        return await repair(parsed.args, version);
      } catch (e) {
        // Unreadable files, a full disk, a folder we may not create: bad circumstances, not bugs.
        if (isCheckpointError(e) || isNodeError(e)) {
          return fail(e.message);
        }
        throw e;
      }
    default:
      return assertUnreachable(parsed);
  }
}

async function repair(args: RepairArgs, version: string): Promise<number> {
  // From here on, a signal ends the run with status 2 and removes any unfinished output.
  installSignalCleanup();
  const targets = await resolveRepairTargets(args.input, args.output, args.manifest, args.force);
  if (!targets.ok) {
    return fail(targets.error);
  }
  const options: FileRunOptions = { chunkBytes: args.chunkBytes, showProgress: args.showProgress };
  const planned: PlannedFile[] = [];
  const problems: string[] = [];
  for (const job of targets.value.jobs) {
    const result = await planFile(job, args.policy, options);
    if (result.ok) {
      planned.push(result.value);
    } else {
      problems.push(result.error.message);
    }
  }
  if (problems.length > 0) {
    problems.forEach((p) => process.stderr.write(`ckptscope: ${terminalSafe(p)}\n`));
    return fail('nothing written: every input file must be valid before anything is repaired');
  }
  const say = (text: string): void => {
    if (!args.json) {
      process.stdout.write(text);
    }
  };
  say(formatPolicyLine(args.policy) + planned.map((p) => formatPlan(p.plan)).join(''));
  const ctx: ManifestContext = {
    mode: targets.value.mode,
    input: args.input,
    output: args.output,
    policy: args.policy,
    version,
  };
  const toWrite = planned.filter((p) => p.plan.patches.length > 0);
  if (args.dryRun || toWrite.length === 0) {
    return finishWithoutWriting(args, ctx, planned, toWrite, say);
  }
  return writeAll(args, targets.value, ctx, planned, toWrite, say);
}

/** A dry run, or nothing to patch: no file is written, the manifest goes to stdout if asked. */
async function finishWithoutWriting(
  args: RepairArgs,
  ctx: ManifestContext,
  planned: readonly PlannedFile[],
  toWrite: readonly PlannedFile[],
  say: (text: string) => void,
): Promise<number> {
  if (args.dryRun) {
    say(lossyNote(toWrite.map((p) => p.plan)));
    say('Dry run: nothing written.\n');
  } else {
    say(
      `Nothing to patch: nothing written${args.manifest === null ? '' : ' (no manifest either)'}.\n`,
    );
  }
  if (args.json) {
    const options = { chunkBytes: args.chunkBytes, showProgress: false };
    const hashed = toWrite.length > 0 ? toWrite : planned;
    const digests = args.sha256 ? await inputDigests(hashed, options) : new Map();
    process.stdout.write(`${JSON.stringify(manifestDocument(ctx, planned, digests))}\n`);
  }
  return REPAIR_EXIT_OK;
}

async function writeAll(
  args: RepairArgs,
  targets: RepairTargets,
  ctx: ManifestContext,
  planned: readonly PlannedFile[],
  toWrite: readonly PlannedFile[],
  say: (text: string) => void,
): Promise<number> {
  if (targets.outFolder !== null) {
    await mkdir(targets.outFolder, { recursive: true });
  }
  const written: WrittenFile[] = [];
  for (const p of toWrite) {
    if (p.job.output === null) {
      return fail(`no output path for ${p.job.input}`);
    }
    const result = await writeFile(p, p.job.output, {
      chunkBytes: args.chunkBytes,
      showProgress: args.showProgress,
      sha256: args.sha256,
      force: args.force,
    });
    if (!result.ok) {
      const done = written.map((w) => w.target).join(', ');
      return fail(`${result.error}${done === '' ? '' : `; already written and verified: ${done}`}`);
    }
    written.push(result.value);
    say(formatWritten(result.value.target, result.value.report));
  }
  const digests: Digests = new Map(
    written.map((w) => [w.planned.job.input, { input: w.sha256In, output: w.sha256Out }]),
  );
  const document = `${JSON.stringify(manifestDocument(ctx, planned, digests))}\n`;
  if (args.manifest !== null) {
    const saved = await writeTextFileAtomic(args.manifest, document, args.force);
    if (!saved.ok) {
      return fail(saved.error);
    }
    say(`Wrote the manifest to ${terminalSafe(args.manifest)}\n`);
  }
  if (args.json) {
    process.stdout.write(document);
  }
  say(lossyNote(planned.map((p) => p.plan)));
  return REPAIR_EXIT_OK;
}

/** A failed file-system call (EACCES, ENOSPC, ...): bad circumstances, not a bug. */
function isNodeError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}

async function inputDigests(
  files: readonly PlannedFile[],
  options: FileRunOptions,
): Promise<Digests> {
  const digests = new Map<string, { input: string | null; output: string | null }>();
  for (const f of files) {
    digests.set(f.job.input, { input: await hashFile(f.job.input, options), output: null });
  }
  return digests;
}
