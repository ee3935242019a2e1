/**
 * Glob matching without backtracking. Configs are data written by someone else: a glob such as
 * `*a*a*a*a*a*a*a*a*a*a*a*a*b` turned into a JavaScript RegExp backtracks exponentially (each extra
 * `*a` multiplied the time by 4). Here the glob is simulated as an automaton: the set of glob
 * positions reachable after each character of the name, so a match costs at most
 * (name length + 1) × (glob length + 1) steps, whatever the glob.
 *
 * `*` matches any run of characters (dots included, as ModelOpt's `fnmatch` does), `?` any one
 * character; everything else is literal.
 */

/** Result of one glob match: whether it matched and how many steps it took. */
export interface GlobResult {
  readonly matched: boolean;
  readonly steps: number;
}

/**
 * Whether `glob` matches `name` whole, or matches a dotted ancestor of it (`model.layers.*` matches
 * `model.layers.3.mlp`: the glob ends where the name has a `.`). Stops with `matched: false` once
 * more than `budget` steps were spent (the caller reports the pattern as over budget).
 */
export function globMatchesModule(glob: string, name: string, budget: number): GlobResult {
  const m = glob.length;
  let current = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  let steps = 0;
  current[0] = 1;
  closeOverStars(glob, current, 0);
  for (let k = 0; ; k++) {
    if (current[m] === 1 && (k === name.length || name[k] === '.')) {
      return { matched: true, steps };
    }
    if (k === name.length) {
      return { matched: false, steps };
    }
    steps += m + 1;
    if (steps > budget) {
      return { matched: false, steps };
    }
    next.fill(0);
    const ch = name[k];
    let any = false;
    for (let j = 0; j < m; j++) {
      if (current[j] !== 1) {
        continue;
      }
      const g = glob[j];
      if (g === '*') {
        next[j] = 1;
        any = true;
      } else if (g === '?' || g === ch) {
        next[j + 1] = 1;
        any = true;
      }
    }
    if (!any) {
      return { matched: false, steps };
    }
    closeOverStars(glob, next, 0);
    const t = current;
    current = next;
    next = t;
  }
}

/** A state at a `*` also stands for the state after it (the star matching nothing). */
function closeOverStars(glob: string, states: Uint8Array, from: number): void {
  for (let j = from; j < glob.length; j++) {
    if (states[j] === 1 && glob[j] === '*') {
      states[j + 1] = 1;
    }
  }
}
