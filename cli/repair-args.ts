import { parseArgs } from 'node:util';
import type { RepairPolicy } from '../core/repair/repair-policy';
import { DEFAULT_REPAIR_POLICY, parsePolicy } from '../core/repair/repair-policy';

/** The options of one `ckptscope repair` run, validated. */
export interface RepairArgs {
  readonly input: string;
  /** Null only in a dry run without `-o`. */
  readonly output: string | null;
  readonly policy: RepairPolicy;
  readonly manifest: string | null;
  readonly sha256: boolean;
  readonly dryRun: boolean;
  /** `--force`: an existing OUT or manifest may be replaced (never a checkpoint's file, nor a link). */
  readonly force: boolean;
  readonly json: boolean;
  readonly chunkBytes: number | undefined;
  readonly showProgress: boolean;
}

export type ParsedRepairArgs =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly args: RepairArgs }
  | { readonly kind: 'usage-error'; readonly message: string };

export const REPAIR_USAGE = `Usage:
  ckptscope repair IN -o OUT [--policy NAME] [--manifest FILE] [--sha256] [--dry-run] [--json]
                   [--force] [--chunk-bytes N] [--no-progress]

Replaces NaN bytes (0x7F/0xFF) of FP8 E4M3 tensors, such as the NVFP4 weight_scale bytes ModelOpt
0.44 wrote, byte for byte: the header and every other byte stay identical and the length is the
same. A scale is positive: its NaN byte becomes +448 (0x7E) whatever its sign bit; FP8 weights keep
their sign. Each patch of an NVFP4 or MX block scale is classed from the block's codes: "neutral"
(all codes ±0: no dequantized value changes), "clamped" (codes vary: the true scale exceeded 448,
the block now dequantizes smaller) or "destroyed" (all codes the saturated +6 an exporter writes
when it divides by the NaN scale: the weights are gone, the scale becomes zero). Re-exporting is
the real fix for clamped and destroyed blocks.

IN is a .safetensors file (OUT: the output file, or a folder to write IN's name into) or a
checkpoint folder (OUT: a folder that receives only the shards that needed patches, under their own
names). OUT is never IN, and an existing file is never replaced without --force. The output is
written to a temporary file beside it, verified (header identical, only the planned bytes differ,
no NaN left where patched), then renamed into place. When nothing needs patching, nothing is
written. A signal (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT) removes the temporary file.

Options:
  -o, --output OUT   where to write (required unless --dry-run)
  --policy NAME      what bad values become (default: max)
                       max          F8_E4M3 NaN scale → 0x7E (+448); weight → 0x7E/0xFE (±448)
                       zero         F8_E4M3 NaN scale → 0x00 (+0); weight → 0x00/0x80 (±0)
                       byte:B       F8_E4M3 NaN → byte B (0-255 or 0x00-0xFF, not 0x7F/0xFF)
                     then, comma-joined, any of:
                       e8m0:B       F8_E8M0 NaN 0xFF → byte B (e8m0:127 is 2^0 = 1)
                       float-zero   BF16/F16/F32 NaN/±Inf → ±0, +0 in scales (lossy)
                       float-max    BF16/F16/F32 NaN/±Inf → ±largest finite, + in scales (lossy)
                     e.g. --policy max,e8m0:127
  --manifest FILE    write a JSON manifest of every patch to FILE
  --sha256           include the SHA-256 of input and output in the manifest
  --dry-run          print the plan and write nothing
  --force            replace an existing OUT file (or manifest); even then, never a file of the
                     checkpoint being repaired (any file in IN's folder), nor a symbolic link
  --json             print the manifest on stdout instead of the readable report
  --chunk-bytes N    read in chunks of N bytes (default 8 MiB)
  --no-progress      no progress bar on stderr
  -h, --help         this text

Exit status: 0 the output was written and verified (or nothing needed patching, or a dry run);
2 invalid or refused input, failed verification, or wrong usage (nothing is left half-written).
`;

/** Parses the arguments after `repair`. */
export function parseRepairArgs(argv: readonly string[]): ParsedRepairArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        policy: { type: 'string' },
        manifest: { type: 'string' },
        sha256: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'chunk-bytes': { type: 'string' },
        'no-progress': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    return usageError(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return { kind: 'help' };
  }
  if (positionals.length !== 1) {
    return usageError(
      `repair takes exactly one IN (a file or a folder), got ${positionals.length}`,
    );
  }
  const dryRun = values['dry-run'];
  const output = nonEmpty(values.output);
  if (output === null && !dryRun) {
    return usageError('repair needs -o OUT (or --dry-run)');
  }
  const manifest = nonEmpty(values.manifest);
  if (manifest !== null && dryRun) {
    return usageError(
      '--dry-run writes nothing, not even --manifest; use --json to see the manifest',
    );
  }
  const policy =
    values.policy === undefined
      ? { ok: true as const, value: DEFAULT_REPAIR_POLICY }
      : parsePolicy(values.policy);
  if (!policy.ok) {
    return usageError(`--policy: ${policy.error}`);
  }
  let chunkBytes: number | undefined;
  if (values['chunk-bytes'] !== undefined) {
    chunkBytes = Number(values['chunk-bytes']);
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
      return usageError(
        `--chunk-bytes takes a positive whole number of bytes, not ${values['chunk-bytes']}`,
      );
    }
  }
  return {
    kind: 'run',
    args: {
      input: positionals[0],
      output,
      policy: policy.value,
      manifest,
      sha256: values.sha256,
      dryRun,
      force: values.force,
      json: values.json,
      chunkBytes,
      showProgress: !values.json && !values['no-progress'],
    },
  };
}

function usageError(message: string): ParsedRepairArgs {
  return { kind: 'usage-error', message };
}

/** An option given as an empty string (`-o ''`) is treated as missing. */
function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
