import { DEFAULT_HUB_ENDPOINT } from '../core/hub/hub-input';
import type { NetworkCounts } from '../core/io/http-client';
import { runtimeHttpEnv } from '../core/io/http-types';
import { formatBytes } from './terminal-text';
import type { TensorInfo } from '../core/format/tensor-info';
import { isPriorityTensor } from '../core/scan/scan-order';
import { isRemoteArgument, runRemoteScan } from './remote-scan';
import { runScan } from './scan-command';
import { scanExitStatus } from '../core/report/exit-status';
import type { ScanRun, ScanRunOptions } from './scan-command';

/** What `scan` adds for remote inputs: `--full`, `--token`. */
export interface RemoteFlags {
  readonly full: boolean;
  /** `--token`; else `HF_TOKEN` from the environment. */
  readonly token: string | undefined;
}

/** A scan of local and remote PATHs, with the network it used (zero for local files). */
export interface ScanWithNetwork extends ScanRun {
  readonly network: NetworkCounts;
  readonly notScanned: number;
  readonly remote: boolean;
}

/** `HF_ENDPOINT` without a trailing slash, else the Hub. */
export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.HF_ENDPOINT?.trim();
  return value === undefined || value === '' ? DEFAULT_HUB_ENDPOINT : value.replace(/\/+$/, '');
}

/**
 * Runs `scan` over the PATHs: local ones through `runScan`, remote ones (`hf://`, `http(s)://`)
 * through `runRemoteScan`, results concatenated in that order.
 */
export async function runScanWithRemote(
  paths: readonly string[],
  options: ScanRunOptions,
  flags: RemoteFlags,
): Promise<ScanWithNetwork> {
  const remotePaths = paths.filter(isRemoteArgument);
  const localPaths = paths.filter((p) => !isRemoteArgument(p));
  const local: ScanRun =
    localPaths.length > 0
      ? await runScan(localPaths, options)
      : { files: [], errors: [], findings: [], usageProblems: [], elapsedSeconds: 0 };
  if (remotePaths.length === 0) {
    return { ...local, network: { requests: 0, bytes: 0 }, notScanned: 0, remote: false };
  }
  const env = runtimeHttpEnv();
  if (env === null) {
    return {
      ...local,
      usageProblems: [
        ...local.usageProblems,
        'this Node has no fetch: remote inputs need Node 20+',
      ],
      network: { requests: 0, bytes: 0 },
      notScanned: 0,
      remote: true,
    };
  }
  const token = flags.token ?? process.env.HF_TOKEN;
  const remote = await runRemoteScan(remotePaths, {
    env,
    endpoint: hubEndpoint(),
    token: token === undefined || token === '' ? null : token,
    full: flags.full,
    chunkBytes: options.chunkBytes,
    histograms: options.histograms,
    showProgress: options.showProgress,
  });
  return {
    files: local.files.concat(remote.files),
    errors: local.errors.concat(remote.errors),
    findings: local.findings.concat(remote.findings),
    usageProblems: local.usageProblems.concat(remote.usageProblems),
    elapsedSeconds: local.elapsedSeconds + remote.elapsedSeconds,
    network: remote.network,
    notScanned: remote.notScanned,
    remote: true,
  };
}

/** The lines the readable report gains for a remote scan: what was read, what was not. */
export function formatRemoteSummary(run: ScanWithNetwork): string {
  if (!run.remote) {
    return '';
  }
  const lines = [
    `Network: ${run.network.requests} request${run.network.requests === 1 ? '' : 's'}, ${formatBytes(run.network.bytes)} received.`,
  ];
  if (run.notScanned > 0) {
    lines.push(
      `Remote mode read headers, scales and small tensors: ${run.notScanned} tensor${run.notScanned === 1 ? ' was' : 's were'} not scanned (an OK covers only what was read; --full reads everything).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The exit status of a run with remote inputs, decided from what was read (`scanExitStatus`): 2 on
 * any error or usage problem, 1 when a tensor read holds NaN/Inf or any finding is an error (NaN/Inf
 * scales decoded by role among them), else 0. Tensors a default remote scan leaves unread do not
 * make it fail (the report says they were not scanned).
 */
export function remoteExitStatus(run: ScanWithNetwork): number {
  return scanExitStatus({
    invalid: run.errors.length > 0 || run.usageProblems.length > 0,
    badValues: anyBadValue(run),
    findings: run.findings,
  });
}

/** Whether a tensor read holds NaN/Inf. */
function anyBadValue(run: ScanWithNetwork): boolean {
  for (const f of run.files) {
    for (const s of f.stats.values()) {
      if (s.nan + s.posInf + s.negInf > 0) {
        return true;
      }
    }
  }
  return false;
}

/**
 * What the verdict counts as set out to be read (`runVerdict`'s `toRead`): every tensor, except in a
 * default remote scan, which reads headers, scales and small tensors and leaves the rest unread by
 * choice ("N tensors not read (default remote mode: …)"), never as failed.
 */
export function tensorsToRead(
  run: Pick<ScanWithNetwork, 'remote'>,
  full: boolean,
): ((t: TensorInfo) => boolean) | undefined {
  return run.remote && !full ? isPriorityTensor : undefined;
}
