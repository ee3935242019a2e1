/**
 * A config's list of modules left unquantized (ModelOpt `exclude_modules` / `ignore`,
 * compressed-tensors `ignore`, AWQ / gpt-oss / bitsandbytes `modules_to_not_convert`,
 * `llm_int8_skip_modules`), as plain data (reports cross worker boundaries) matched by
 * `patternMatches`.
 * - `regex`: compressed-tensors `re:<regex>`, matched from the start of the name (`re.match`).
 * - `glob`: `*` / `?` wildcards (ModelOpt, gpt-oss) matching the whole name or a dotted ancestor.
 * - `segments`: a dotted name found as whole segments anywhere in the module name (`lm_head`
 *   matches `lm_head` and `model.lm_head`): transformers' substring test, kept to segment bounds.
 */
export interface ModulePattern {
  readonly text: string;
  readonly kind: 'regex' | 'glob' | 'segments';
}

/** compressed-tensors marks regular expressions with this prefix. */
const REGEX_PREFIX = 're:';

/** Compiled regexes by pattern text (a config lists a handful; null = invalid, never matches). */
const compiled = new Map<string, RegExp | null>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function globSource(glob: string): string {
  return glob
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : escapeRegExp(ch)))
    .join('');
}

function regexOf(p: ModulePattern): RegExp | null {
  const key = `${p.kind}:${p.text}`;
  if (!compiled.has(key)) {
    const source =
      p.kind === 'regex'
        ? `^(?:${p.text.slice(REGEX_PREFIX.length)})`
        : `^(?:${globSource(p.text)})(?:\\..*)?$`;
    let re: RegExp | null;
    try {
      re = new RegExp(source);
    } catch {
      re = null;
    }
    compiled.set(key, re);
  }
  return compiled.get(key) ?? null;
}

export function modulePattern(text: string): ModulePattern {
  if (text.startsWith(REGEX_PREFIX)) {
    return { text, kind: 'regex' };
  }
  return { text, kind: text.includes('*') || text.includes('?') ? 'glob' : 'segments' };
}

/** Whether module `prefix` matches the pattern (see `ModulePattern`). */
export function patternMatches(p: ModulePattern, prefix: string): boolean {
  if (p.kind === 'segments') {
    return p.text !== '' && `.${prefix}.`.includes(`.${p.text}.`);
  }
  return regexOf(p)?.test(prefix) ?? false;
}

/** The first pattern matching `prefix`, or null. */
export function matchingPattern(
  patterns: readonly ModulePattern[],
  prefix: string,
): ModulePattern | null {
  return patterns.find((p) => patternMatches(p, prefix)) ?? null;
}
