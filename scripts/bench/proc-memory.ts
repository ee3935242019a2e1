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

/** Kernel clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux port). */
const USER_HZ = 100;

/** CPU seconds (user + system) the live Chromium processes under `root` have used so far. */
export function chromiumCpuSeconds(root: number = process.pid): number | null {
  const pids = chromiumPids(root);
  if (pids.length === 0) {
    return null;
  }
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited between the listing and the read
    }
  }
  return ticks / USER_HZ;
}

/** Busy and total CPU seconds of the whole machine so far (all cores, from /proc/stat). */
export function machineCpuSeconds(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal …
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: (total - idle) / USER_HZ, total: total / USER_HZ };
  } catch {
    return null;
  }
}

/** CPU use over a measured stretch: Chromium's own, and the machine's (others included). */
export interface CpuUse {
  /** Chromium's CPU seconds. */
  readonly chromium: number;
  /** Busy CPU seconds of the whole machine, Chromium and everything else. */
  readonly machineBusy: number;
  /** Core-seconds the machine had (wall time x cores). */
  readonly machineTotal: number;
}

/** Measures `run`'s CPU use; null fields when /proc is not readable. */
export async function measureCpu<T>(
  run: () => Promise<T>,
): Promise<{ value: T; cpu: CpuUse | null }> {
  const c0 = chromiumCpuSeconds();
  const m0 = machineCpuSeconds();
  const value = await run();
  const c1 = chromiumCpuSeconds();
  const m1 = machineCpuSeconds();
  if (c0 === null || c1 === null || m0 === null || m1 === null) {
    return { value, cpu: null };
  }
  return {
    value,
    cpu: { chromium: c1 - c0, machineBusy: m1.busy - m0.busy, machineTotal: m1.total - m0.total },
  };
}
