/**
 * compressed-tensors `re:` patterns, matched in linear time. A config's regex is text someone else
 * wrote: handed to JavaScript's backtracking RegExp, `re:(.*)*\1b` or `(a|a)*b` hang the scan. This
 * parses the subset of Python `re` syntax that checkpoint configs use and simulates it as a
 * Thompson NFA (a Pike VM without captures): a match costs at most
 * (name length + 1) × (program size) steps, whatever the pattern.
 *
 * Supported: literals, `.`, `[...]` classes with ranges and negation, `\d \w \s \D \W \S`, escaped
 * punctuation, `\A`, `\Z`, groups `( )`, `(?: )`, `(?P<name> )`, alternation, `* + ? {n} {n,}
 * {n,m}` (lazy `?` suffixes accepted: they do not change whether a match exists), `^` and `$`.
 * Refused (a config finding, never a hang): backreferences, lookarounds, inline flags, word
 * boundaries, and patterns whose program would exceed MAX_REGEX_PROGRAM.
 */

/** Longest `re:` pattern compiled (real configs use a few dozen characters). */
export const MAX_REGEX_SOURCE = 4096;
/** Largest program (instructions) after expanding counted repetitions: `(a{1000}){1000}` is refused. */
export const MAX_REGEX_PROGRAM = 10_000;
/** Deepest group nesting parsed (the parser recurses per group). */
const MAX_REGEX_DEPTH = 200;
/** Largest repetition count accepted in `{n,m}` (Python's own limit is far higher, configs use none). */
const MAX_REPEAT_COUNT = 1000;

type CharTest = (c: string) => boolean;

type Node =
  | { readonly t: 'char'; readonly test: CharTest }
  | { readonly t: 'seq'; readonly items: readonly Node[] }
  | { readonly t: 'alt'; readonly options: readonly Node[] }
  | { readonly t: 'repeat'; readonly node: Node; readonly min: number; readonly max: number | null }
  | { readonly t: 'start' }
  | { readonly t: 'end' };

type Inst =
  | { readonly op: 'char'; readonly test: CharTest }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { readonly op: 'start' }
  | { readonly op: 'end' }
  | { readonly op: 'match' };

/** A compiled pattern: run it with `regexMatchesPrefix`. */
export interface LinearRegex {
  readonly program: readonly Inst[];
}

export type CompileResult =
  | { readonly ok: true; readonly regex: LinearRegex }
  | { readonly ok: false; readonly reason: string };

class RegexError extends Error {}

const isDigit: CharTest = (c) => c >= '0' && c <= '9';
const isWord: CharTest = (c) =>
  (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c === '_';
const isSpace: CharTest = (c) => c === ' ' || (c >= '\t' && c <= '\r');
const not =
  (f: CharTest): CharTest =>
  (c) =>
    !f(c);

const CLASS_ESCAPES: Readonly<Record<string, CharTest>> = {
  d: isDigit,
  D: not(isDigit),
  w: isWord,
  W: not(isWord),
  s: isSpace,
  S: not(isSpace),
};
const CONTROL_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  f: '\f',
  v: '\v',
  '0': '\0',
};

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.src.length) {
      throw new RegexError(`unbalanced ")" at ${this.pos}`);
    }
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.pos++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { t: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      items.push(this.quantified(this.atom()));
    }
    return { t: 'seq', items };
  }

  private quantified(atom: Node): Node {
    let node = atom;
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number | null;
      if (c === '*' || c === '+' || c === '?') {
        this.pos++;
        [min, max] = c === '*' ? [0, null] : c === '+' ? [1, null] : [0, 1];
      } else if (c === '{' && this.countedAhead()) {
        [min, max] = this.counted();
      } else {
        return node;
      }
      if (node.t === 'start' || node.t === 'end') {
        throw new RegexError('nothing to repeat');
      }
      if (this.peek() === '?') {
        this.pos++; // lazy: the same set of matches
      } else if (this.peek() === '+') {
        throw new RegexError('possessive quantifiers are not supported');
      }
      node = { t: 'repeat', node, min, max };
    }
  }

  private countedAhead(): boolean {
    return /^\{\d*(,\d*)?\}/.test(this.src.slice(this.pos, this.pos + 16));
  }

  private counted(): [number, number | null] {
    const close = this.src.indexOf('}', this.pos);
    const body = this.src.slice(this.pos + 1, close);
    this.pos = close + 1;
    const [lo, hi] = body.includes(',') ? body.split(',') : [body, body];
    const min = lo === '' ? 0 : Number(lo);
    const max = hi === '' ? null : Number(hi);
    if (min > MAX_REPEAT_COUNT || (max !== null && (max > MAX_REPEAT_COUNT || max < min))) {
      throw new RegexError(`repetition {${body}} is out of range`);
    }
    return [min, max];
  }

  private atom(): Node {
    const c = this.src[this.pos++];
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '.':
        return { t: 'char', test: (x) => x !== '\n' };
      case '^':
        return { t: 'start' };
      case '$':
        return { t: 'end' };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw new RegexError('nothing to repeat');
      default:
        return literal(c);
    }
  }

  private group(): Node {
    if (++this.depth > MAX_REGEX_DEPTH) {
      throw new RegexError('groups nested too deeply');
    }
    if (this.peek() === '?') {
      const rest = this.src.slice(this.pos, this.pos + 3);
      if (rest.startsWith('?:')) {
        this.pos += 2;
      } else if (rest === '?P<') {
        const close = this.src.indexOf('>', this.pos);
        if (close < 0) {
          throw new RegexError('unterminated group name');
        }
        this.pos = close + 1;
      } else {
        throw new RegexError(`"(${rest}" (lookaround, backreference or flags) is not supported`);
      }
    }
    const inner = this.alternation();
    if (this.src[this.pos++] !== ')') {
      throw new RegexError('missing ")"');
    }
    this.depth--;
    return inner;
  }

  private escape(): Node {
    const c = this.src[this.pos++];
    if (c === undefined) {
      throw new RegexError('pattern ends with "\\"');
    }
    const cls = CLASS_ESCAPES[c];
    if (cls !== undefined) {
      return { t: 'char', test: cls };
    }
    if (c === 'A') {
      return { t: 'start' };
    }
    if (c === 'Z') {
      return { t: 'end' };
    }
    if (c >= '1' && c <= '9') {
      throw new RegexError(`backreference \\${c} is not supported`);
    }
    const ctl = CONTROL_ESCAPES[c];
    if (ctl !== undefined) {
      return literal(ctl);
    }
    if (isWord(c)) {
      throw new RegexError(`escape \\${c} is not supported`);
    }
    return literal(c);
  }

  private classChar(): string | CharTest {
    const c = this.src[this.pos++];
    if (c === undefined) {
      throw new RegexError('missing "]"');
    }
    if (c !== '\\') {
      return c;
    }
    const e = this.src[this.pos++];
    if (e === undefined) {
      throw new RegexError('missing "]"');
    }
    const cls = CLASS_ESCAPES[e];
    if (cls !== undefined) {
      return cls;
    }
    const ctl = CONTROL_ESCAPES[e];
    if (ctl !== undefined) {
      return ctl;
    }
    if (isWord(e)) {
      throw new RegexError(`escape \\${e} is not supported`);
    }
    return e;
  }

  private charClass(): Node {
    const negate = this.peek() === '^';
    if (negate) {
      this.pos++;
    }
    const tests: CharTest[] = [];
    let first = true;
    while (first || this.peek() !== ']') {
      first = false;
      const lo = this.classChar();
      if (typeof lo === 'string' && this.peek() === '-' && this.src[this.pos + 1] !== ']') {
        this.pos++;
        const hi = this.classChar();
        if (typeof hi !== 'string' || hi < lo) {
          throw new RegexError('bad character range');
        }
        tests.push((x) => x >= lo && x <= hi);
      } else {
        tests.push(typeof lo === 'string' ? (x) => x === lo : lo);
      }
      if (this.pos >= this.src.length) {
        throw new RegexError('missing "]"');
      }
    }
    this.pos++;
    const any: CharTest = (x) => tests.some((t) => t(x));
    return { t: 'char', test: negate ? not(any) : any };
  }
}

function literal(c: string): Node {
  return { t: 'char', test: (x) => x === c };
}

/** Emits the NFA program; counted repetitions are expanded (bounded by MAX_REGEX_PROGRAM). */
class Emitter {
  readonly program: Inst[] = [];

  private push(inst: Inst): number {
    if (this.program.length >= MAX_REGEX_PROGRAM) {
      throw new RegexError(`the pattern needs more than ${MAX_REGEX_PROGRAM} NFA states`);
    }
    this.program.push(inst);
    return this.program.length - 1;
  }

  emit(node: Node): void {
    switch (node.t) {
      case 'char':
        this.push({ op: 'char', test: node.test });
        return;
      case 'start':
        this.push({ op: 'start' });
        return;
      case 'end':
        this.push({ op: 'end' });
        return;
      case 'seq':
        for (const item of node.items) {
          this.emit(item);
        }
        return;
      case 'alt': {
        const jumps: { op: 'jmp'; x: number }[] = [];
        for (let i = 0; i < node.options.length; i++) {
          if (i < node.options.length - 1) {
            const split: Inst = { op: 'split', x: 0, y: 0 };
            this.push(split);
            split.x = this.program.length;
            this.emit(node.options[i]);
            const jmp: { op: 'jmp'; x: number } = { op: 'jmp', x: 0 };
            this.push(jmp);
            jumps.push(jmp);
            split.y = this.program.length;
          } else {
            this.emit(node.options[i]);
          }
        }
        for (const j of jumps) {
          j.x = this.program.length;
        }
        return;
      }
      case 'repeat':
        this.emitRepeat(node.node, node.min, node.max);
        return;
    }
  }

  private emitRepeat(node: Node, min: number, max: number | null): void {
    for (let i = 0; i < min; i++) {
      this.emit(node);
    }
    if (max === null) {
      const split: Inst = { op: 'split', x: 0, y: 0 };
      const at = this.push(split);
      split.x = this.program.length;
      this.emit(node);
      this.push({ op: 'jmp', x: at });
      split.y = this.program.length;
      return;
    }
    const splits: { op: 'split'; x: number; y: number }[] = [];
    for (let i = min; i < max; i++) {
      const split: { op: 'split'; x: number; y: number } = { op: 'split', x: 0, y: 0 };
      this.push(split);
      split.x = this.program.length;
      splits.push(split);
      this.emit(node);
    }
    for (const s of splits) {
      s.y = this.program.length;
    }
  }
}

/** Compiles `source` (the text after `re:`), or says why it cannot be matched safely. */
export function compileLinearRegex(source: string): CompileResult {
  if (source.length > MAX_REGEX_SOURCE) {
    return { ok: false, reason: `longer than ${MAX_REGEX_SOURCE} characters` };
  }
  try {
    const emitter = new Emitter();
    emitter.emit(new Parser(source).parse());
    emitter.program.push({ op: 'match' });
    return { ok: true, regex: { program: emitter.program } };
  } catch (e) {
    if (e instanceof RegexError) {
      return { ok: false, reason: e.message };
    }
    throw e;
  }
}

/** Result of one match: whether it matched and how many steps it took. */
export interface RegexResult {
  readonly matched: boolean;
  readonly steps: number;
}

/**
 * Whether the pattern matches at the start of `text` (Python's `re.match`: a prefix of `text`).
 * Stops with `matched: false` once more than `budget` steps were spent.
 */
export function regexMatchesPrefix(regex: LinearRegex, text: string, budget: number): RegexResult {
  const prog = regex.program;
  const seen = new Int32Array(prog.length).fill(-1);
  let current: number[] = [];
  let next: number[] = [];
  let steps = 0;
  let matched = false;
  const stack: number[] = [];
  /** Adds `pc` and everything reachable from it without reading a character, at position `at`. */
  const add = (list: number[], start: number, at: number, generation: number): void => {
    stack.push(start);
    while (stack.length > 0) {
      const pc = stack.pop() ?? 0;
      if (seen[pc] === generation) {
        continue;
      }
      seen[pc] = generation;
      steps++;
      const inst = prog[pc];
      switch (inst.op) {
        case 'split':
          stack.push(inst.y, inst.x);
          break;
        case 'jmp':
          stack.push(inst.x);
          break;
        case 'start':
          if (at === 0) {
            stack.push(pc + 1);
          }
          break;
        case 'end':
          if (at === text.length || (at === text.length - 1 && text[at] === '\n')) {
            stack.push(pc + 1);
          }
          break;
        case 'match':
          matched = true;
          break;
        case 'char':
          list.push(pc);
          break;
      }
    }
  };
  add(current, 0, 0, 0);
  for (let at = 0; at < text.length && !matched && current.length > 0; at++) {
    if (steps > budget) {
      return { matched: false, steps };
    }
    const c = text[at];
    next.length = 0;
    for (const pc of current) {
      const inst = prog[pc];
      steps++;
      if (inst.op === 'char' && inst.test(c)) {
        add(next, pc + 1, at + 1, at + 1);
      }
    }
    const t = current;
    current = next;
    next = t;
  }
  return { matched: matched && steps <= budget, steps };
}
