/**
 * Memory and CPU of the Chromium processes a bench launched, from Linux's /proc: the sum of their
 * PSS (proportional set size: shared pages split between the processes sharing them, so the sum is
 * what the browser costs the machine), and CPU time per process and per thread. Linux only;
 * elsewhere every sample is null.
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
  /** Chromium's CPU seconds by thread kind (`renderer:DedicatedWorker`, `browser:Chrome_IOThread`…). */
  readonly byThread: ReadonlyMap<string, number>;
  /** Busy CPU seconds of the whole machine, Chromium and everything else. */
  readonly machineBusy: number;
  /** Core-seconds the machine had (wall time x cores). */
  readonly machineTotal: number;
}

/** CPU ticks so far of every thread of the live Chromium processes, by `pid/tid`. */
function threadTicks(): Map<string, { kind: string; ticks: number }> {
  const out = new Map<string, { kind: string; ticks: number }>();
  for (const pid of chromiumPids()) {
    let type: string;
    let tids: string[];
    try {
      type =
        /--type=([a-z-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // exited
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // Thread names are cut to 15 characters; the main threads are named after the program.
        const name = comm === 'chromium' ? 'main' : comm;
        out.set(`${pid}/${tid}`, {
          kind: `${type}:${name}`,
          ticks: Number(fields[11]) + Number(fields[12]),
        });
      } catch {
        // exited
      }
    }
  }
  return out;
}

/** How often threads are sampled while measuring: scan workers end (and vanish) with the scan. */
const THREAD_SAMPLE_MS = 50;

/**
 * Measures `run`'s CPU use; null when /proc is not readable. Threads are sampled every
 * THREAD_SAMPLE_MS so that those ending within the run (scan workers) still count, up to their
 * last sample.
 */
export async function measureCpu<T>(
  run: () => Promise<T>,
): Promise<{ value: T; cpu: CpuUse | null }> {
  const start = threadTicks();
  const last = new Map(start);
  const m0 = machineCpuSeconds();
  const timer = setInterval(() => {
    for (const [k, v] of threadTicks()) {
      last.set(k, v);
    }
  }, THREAD_SAMPLE_MS);
  let value: T;
  try {
    value = await run();
  } finally {
    clearInterval(timer);
  }
  for (const [k, v] of threadTicks()) {
    last.set(k, v);
  }
  const m1 = machineCpuSeconds();
  if (start.size === 0 || m0 === null || m1 === null) {
    return { value, cpu: null };
  }
  const byThread = new Map<string, number>();
  let chromium = 0;
  for (const [k, v] of last) {
    const seconds = (v.ticks - (start.get(k)?.ticks ?? 0)) / USER_HZ;
    if (seconds > 0) {
      byThread.set(v.kind, (byThread.get(v.kind) ?? 0) + seconds);
      chromium += seconds;
    }
  }
  return {
    value,
    cpu: { chromium, byThread, machineBusy: m1.busy - m0.busy, machineTotal: m1.total - m0.total },
  };
}
