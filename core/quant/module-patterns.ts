import { globMatchesModule } from './glob-match';
import type { LinearRegex } from './linear-regex';
import { compileLinearRegex, regexMatchesPrefix } from './linear-regex';

/**
 * A config's list of modules left unquantized (ModelOpt `exclude_modules` / `ignore`,
 * compressed-tensors `ignore`, AWQ / gpt-oss / bitsandbytes `modules_to_not_convert`,
 * `llm_int8_skip_modules`), as plain data (reports cross worker boundaries) matched by
 * `PatternMatcher` (or `patternMatches` for one test).
 * - `regex`: compressed-tensors `re:<regex>`, matched from the start of the name (`re.match`).
 * - `glob`: `*` / `?` wildcards (ModelOpt, gpt-oss) matching the whole name or a dotted ancestor.
 * - `segments`: a dotted name found as whole segments anywhere in the module name (`lm_head`
 *   matches `lm_head` and `model.lm_head`): transformers' substring test, kept to segment bounds.
 *
 * Patterns are data someone else wrote, never code: globs and regexes run through linear-time
 * matchers (`glob-match.ts`, `linear-regex.ts`) under a step budget, so no pattern can hang a scan.
 */
export interface ModulePattern {
  readonly text: string;
  readonly kind: 'regex' | 'glob' | 'segments';
}

/** compressed-tensors marks regular expressions with this prefix. */
const REGEX_PREFIX = 're:';

/**
 * Steps (automaton state visits) all of a checkpoint's glob and regex matching may take together:
 * a few seconds at worst. Real configs need a few thousand steps per module; a pattern that
 * exhausts the budget is reported (`config-pattern`) and stops matching.
 */
export const MAX_PATTERN_STEPS = 200_000_000;

export function modulePattern(text: string): ModulePattern {
  if (text.startsWith(REGEX_PREFIX)) {
    return { text, kind: 'regex' };
  }
  return { text, kind: text.includes('*') || text.includes('?') ? 'glob' : 'segments' };
}

/** A pattern that could not be applied: unsupported regex syntax, or over the step budget. */
export interface PatternProblem {
  readonly pattern: string;
  readonly reason: string;
}

interface Compiled {
  readonly pattern: ModulePattern;
  readonly index: number;
  readonly regex: LinearRegex | null;
  disabled: boolean;
}

/**
 * Matches module names against a config's patterns in time linear in the number of modules:
 * plain (`segments`) patterns by set lookup of the name's dotted sub-sequences, globs and regexes
 * by linear-time automata sharing one step budget.
 */
export class PatternMatcher {
  /** First index of each plain pattern. */
  private readonly plain = new Map<string, number>();
  private readonly compiled: Compiled[] = [];
  private readonly problemList: PatternProblem[] = [];
  private stepsLeft: number;

  constructor(
    private readonly patterns: readonly ModulePattern[],
    budget: number = MAX_PATTERN_STEPS,
  ) {
    this.stepsLeft = budget;
    patterns.forEach((p, index) => {
      if (p.kind === 'segments') {
        if (p.text !== '' && !this.plain.has(p.text)) {
          this.plain.set(p.text, index);
        }
        return;
      }
      if (p.kind === 'glob') {
        this.compiled.push({ pattern: p, index, regex: null, disabled: false });
        return;
      }
      const c = compileLinearRegex(p.text.slice(REGEX_PREFIX.length));
      if (c.ok) {
        this.compiled.push({ pattern: p, index, regex: c.regex, disabled: false });
      } else {
        this.problemList.push({ pattern: p.text, reason: c.reason });
      }
    });
  }

  /** The first pattern (in config order) matching module `prefix`, or null. */
  first(prefix: string): ModulePattern | null {
    let best = this.plainIndex(prefix);
    for (const c of this.compiled) {
      if (c.index >= best) {
        break;
      }
      if (!c.disabled && this.run(c, prefix)) {
        best = c.index;
        break;
      }
    }
    return best === Infinity ? null : (this.patterns[best] ?? null);
  }

  /** Patterns that could not be applied (each once). */
  problems(): readonly PatternProblem[] {
    return this.problemList;
  }

  private plainIndex(prefix: string): number {
    if (this.plain.size === 0) {
      return Infinity;
    }
    let best = Infinity;
    const segments = prefix.split('.');
    for (let i = 0; i < segments.length; i++) {
      let name = '';
      for (let j = i; j < segments.length; j++) {
        name = j === i ? segments[j] : `${name}.${segments[j]}`;
        const index = this.plain.get(name);
        if (index !== undefined && index < best) {
          best = index;
        }
      }
    }
    return best;
  }

  private run(c: Compiled, prefix: string): boolean {
    const budget = Math.max(0, this.stepsLeft);
    const r =
      c.regex === null
        ? globMatchesModule(c.pattern.text, prefix, budget)
        : regexMatchesPrefix(c.regex, prefix, budget);
    this.stepsLeft -= r.steps;
    if (r.steps > budget) {
      c.disabled = true;
      this.problemList.push({
        pattern: c.pattern.text,
        reason: `matching it took more than the ${MAX_PATTERN_STEPS.toLocaleString('en-US')}-step budget; it was not applied from ${prefix} on`,
      });
      return false;
    }
    return r.matched;
  }
}

/** Whether module `prefix` matches the pattern (see `ModulePattern`). */
export function patternMatches(p: ModulePattern, prefix: string): boolean {
  return new PatternMatcher([p]).first(prefix) !== null;
}

/** The first pattern matching `prefix`, or null (one-off; loops use a `PatternMatcher`). */
export function matchingPattern(
  patterns: readonly ModulePattern[],
  prefix: string,
): ModulePattern | null {
  return new PatternMatcher(patterns).first(prefix);
}
