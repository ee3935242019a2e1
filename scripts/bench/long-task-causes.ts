/**
 * What ran in the app's long tasks: `million.ts` with BENCH_PROFILE writes, beside each CPU profile
 * of the page's main thread, the long tasks it saw (`*.longtasks.json`: their start and duration
 * on the page's clock, and when a marker function ran, which puts the profile on that clock).
 * This prints the longest tasks with the functions that filled them (inclusive and self time),
 * which is how issue 11's remaining long tasks were found (grouping busy profile samples instead
 * merges back-to-back tasks into one). Use an unminified build for readable names:
 * `CKPTSCOPE_WEB_OUT=dist/web-x npx vite build --minify false`.
 *
 * `tsx scripts/bench/long-task-causes.ts PROFILE.cpuprofile [COUNT]`
 */
import { readFileSync } from 'node:fs';

/** The marker function million.ts runs (busy ~20 ms) right after the profiler starts. */
export const PROFILE_MARK_FUNCTION = 'ckptscopeProfileMark';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface LongTaskLog {
  /** performance.now() when the marker ran. */
  readonly mark: number;
  /** [startTime, duration] of each long task, in ms of performance.now(). */
  readonly tasks: readonly (readonly [number, number])[];
}

export interface TaskCauses {
  readonly startMs: number;
  readonly durationMs: number;
  /** Function (name:line) → ms, the largest first. */
  readonly inclusive: readonly (readonly [string, number])[];
  readonly self: readonly (readonly [string, number])[];
}

/** React's and the scheduler's frames: in every render, they say nothing of its cost. */
const FRAMEWORK =
  /^(\(root\)|performWorkOnRoot|performSyncWorkOnRoot|flushSync|processRoot|renderRootSync|workLoopSync|performUnitOfWork|beginWork|renderWithHooks|updateFunctionComponent|commitRoot|completeRoot|updateMemo|exports\.useMemo|recursively|commit|flush)/;

const sorted = (m: Map<string, number>): [string, number][] =>
  [...m].map(([k, v]): [string, number] => [k, v / 1000]).sort((a, b) => b[1] - a[1]);

/** The `count` longest tasks of `log`, each with the profile's samples within it. */
export function longTaskCauses(profile: CpuProfile, log: LongTaskLog, count: number): TaskCauses[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    for (const c of n.children ?? []) {
      parent.set(c, n.id);
    }
  }
  const label = (id: number): string => {
    const f = nodes.get(id)?.callFrame;
    return f === undefined
      ? '?'
      : `${f.functionName === '' ? '(anon)' : f.functionName}:${f.lineNumber + 1}`;
  };
  let t = profile.startTime;
  const times = profile.samples.map((_, i) => (t += profile.timeDeltas[i] ?? 0));
  const stackOf = (id: number): number[] => {
    const out: number[] = [];
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      out.push(x);
    }
    return out;
  };
  const markAt = profile.samples.findIndex((id) =>
    stackOf(id).some((x) => nodes.get(x)?.callFrame.functionName === PROFILE_MARK_FUNCTION),
  );
  if (markAt < 0) {
    throw new Error(`no sample of ${PROFILE_MARK_FUNCTION} in the profile`);
  }
  const offsetUs = (times[markAt] ?? 0) - log.mark * 1000;
  return [...log.tasks]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([start, duration]) => {
      const from = start * 1000 + offsetUs;
      const to = from + duration * 1000;
      const inclusive = new Map<string, number>();
      const self = new Map<string, number>();
      profile.samples.forEach((id, i) => {
        const at = times[i] ?? 0;
        if (at < from || at > to) {
          return;
        }
        const dt = (times[i + 1] ?? at) - at;
        self.set(label(id), (self.get(label(id)) ?? 0) + dt);
        for (const name of new Set(stackOf(id).map(label))) {
          if (!FRAMEWORK.test(name)) {
            inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
          }
        }
      });
      return {
        startMs: start,
        durationMs: duration,
        inclusive: sorted(inclusive).slice(0, 12),
        self: sorted(self).slice(0, 8),
      };
    });
}

if (process.argv[1]?.endsWith('long-task-causes.ts') === true) {
  const [path, count] = process.argv.slice(2);
  if (path === undefined) {
    process.stderr.write(
      'usage: tsx scripts/bench/long-task-causes.ts PROFILE.cpuprofile [COUNT]\n',
    );
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const log = JSON.parse(
    readFileSync(path.replace(/\.cpuprofile$/, '.longtasks.json'), 'utf8'),
  ) as LongTaskLog;
  const ms = (e: readonly [string, number]): string => `${e[0]} ${e[1].toFixed(0)}`;
  for (const task of longTaskCauses(profile, log, Number(count ?? 8))) {
    process.stdout.write(
      `${task.durationMs.toFixed(0)} ms at ${(task.startMs / 1000).toFixed(2)} s\n` +
        `  inclusive: ${task.inclusive.map(ms).join(' | ')}\n` +
        `  self:      ${task.self.map(ms).join(' | ')}\n`,
    );
  }
}
