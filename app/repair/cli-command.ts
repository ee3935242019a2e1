import type { RepairPolicy } from '../../core/repair/repair-policy';
import { formatPolicy } from '../../core/repair/repair-policy';

/** Where the command writes: a folder beside the checkpoint, created first (the CLI never does). */
export const CLI_OUTPUT_DIR = 'repaired';

/** Characters a POSIX shell word may hold unquoted. */
const SAFE_WORD = /^[A-Za-z0-9._/@%+=:,-]+$/;

/** A POSIX shell word: single-quoted unless plainly safe (`'` written as `'\''`). */
export function shellQuote(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that makes the same repaired file on a machine holding the checkpoint (a GPU server
 * the browser cannot reach): same policy, output into ./repaired/ under the shard's own name.
 * Per-tensor choices made in the page have no CLI flag (the panel says so next to the command).
 */
export function repairCommand(fileName: string, policy: RepairPolicy): string {
  return [
    `mkdir -p ${CLI_OUTPUT_DIR} &&`,
    'npx ckptscope repair',
    shellQuote(fileName),
    `-o ${CLI_OUTPUT_DIR}/`,
    `--policy ${shellQuote(formatPolicy(policy))}`,
  ].join(' ');
}
