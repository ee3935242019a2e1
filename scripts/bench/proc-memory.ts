/**
 * Memory of the Chromium processes a bench launched, from Linux's /proc: the sum of their PSS
 * (proportional set size: shared pages split between the processes sharing them, so the sum is
 * what the browser costs the machine). Linux only; elsewhere every sample is null.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …; comm may hold spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return null;
  }
}

/** Every live descendant of `root` whose executable is Chromium. */
export function chromiumPids(root: number = process.pid): number[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [];
  }
  const parent = new Map(pids.map((p) => [p, parentOf(p)]));
  const descends = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p !== null && p > 1; p = parent.get(p)) {
      if (p === root) {
        return true;
      }
    }
    return false;
  };
  return pids.filter((pid) => {
    if (!descends(pid)) {
      return false;
    }
    try {
      return /chrom/i.test(readlinkSync(`/proc/${pid}/exe`));
    } catch {
      return false;
    }
  });
}

function pssKb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m === null ? 0 : Number(m[1]);
  } catch {
    return 0;
  }
}

/** Summed PSS of Chromium's processes in bytes, or null when /proc has none to show. */
export function chromiumPss(root: number = process.pid): number | null {
  const pids = chromiumPids(root);
  return pids.length === 0 ? null : pids.reduce((n, p) => n + pssKb(p), 0) * 1024;
}

/** Samples `chromiumPss` every `intervalMs` until stopped; keeps the peak. */
export class PssSampler {
  private peak = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(intervalMs: number) {
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, chromiumPss() ?? 0);
    }, intervalMs);
  }

  /** Stops sampling; the peak in bytes (0 when nothing could be sampled). */
  stop(): number {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, chromiumPss() ?? 0);
    return this.peak;
  }
}
