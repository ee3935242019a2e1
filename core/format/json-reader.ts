import { assertUnreachable } from '../dtype/dtype';

/**
 * A pull reader over JSON text with serde_json's grammar and limits (RFC 8259; the reference parses
 * headers with `serde_json::from_str`). Callers drive it value by value, so a header layer can check
 * a schema as it goes and skip ignored values without building them. Every failure is a `JsonError`;
 * nothing recurses, so hostile nesting cannot exhaust the JS stack.
 */

/**
 * serde_json's `remaining_depth` budget. Entering an array or object spends one unit and the parse
 * fails when the budget hits zero, so at most 127 containers can be open at once (the top-level
 * object counts). Matching it keeps our verdict equal to the reference's on deep input (B9).
 */
export const JSON_DEPTH_BUDGET = 128;

/** A syntax or schema failure at a UTF-16 offset into the text. */
export class JsonError extends Error {
  readonly detail: string;
  readonly position: number;

  constructor(detail: string, position: number) {
    super(detail);
    this.name = 'JsonError';
    this.detail = detail;
    this.position = position;
  }
}

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** A number token. `integer` is its exact value when serde_json would read it as an integer. */
export interface JsonNumber {
  readonly text: string;
  /** Exact value for tokens without fraction or exponent; null for those and for `-0` (a float in serde_json). */
  readonly integer: bigint | null;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Digits `readSmallUint` reads: any 15-digit integer is below 2^53, so exact as a number. */
const SMALL_INTEGER_DIGITS = 15;

/** Escaped-string pieces gathered before joining: bounds the pieces held while keeping joins few. */
const STRING_PIECES_PER_JOIN = 4096;

export class JsonReader {
  private readonly text: string;
  private pos = 0;
  /** One entry per open container: true until its first member has been started. */
  private readonly firstMember: boolean[] = [];

  constructor(text: string) {
    this.text = text;
  }

  get position(): number {
    return this.pos;
  }

  /** Open containers, the top level included. */
  get depth(): number {
    return this.firstMember.length;
  }

  fail(detail: string): never {
    throw new JsonError(detail, this.pos);
  }

  /** The kind of the next value, after whitespace; consumes nothing else. */
  peek(): JsonKind {
    this.skipWhitespace();
    if (this.pos >= this.text.length) {
      this.fail('EOF while parsing a value');
    }
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b:
        return 'object';
      case 0x5b:
        return 'array';
      case QUOTE:
        return 'string';
      case 0x74:
      case 0x66:
        return 'boolean';
      case 0x6e:
        return 'null';
      case 0x2d:
        return 'number';
      default:
        if (c >= DIGIT_0 && c <= DIGIT_9) {
          return 'number';
        }
        return this.fail('expected value');
    }
  }

  beginObject(): void {
    this.open(0x7b, 'expected `{`');
  }

  /**
   * The next key of the innermost object, with its `:` consumed, or null once the closing `}` has
   * been consumed. The caller must then read or skip the member's value.
   */
  nextKey(known?: readonly string[]): string | null {
    if (!this.nextMember(0x7d, 'object')) {
      return null;
    }
    this.skipWhitespace();
    if (this.pos >= this.text.length) {
      this.fail('EOF while parsing an object');
    }
    if (this.text.charCodeAt(this.pos) !== QUOTE) {
      this.fail('key must be a string');
    }
    this.pos += 1;
    const key = this.knownStringBody(known) ?? this.readStringBody();
    this.skipWhitespace();
    if (this.pos >= this.text.length) {
      this.fail('EOF while parsing an object');
    }
    if (this.text.charCodeAt(this.pos) !== COLON) {
      this.fail('expected `:`');
    }
    this.pos += 1;
    return key;
  }

  beginArray(): void {
    this.open(0x5b, 'expected `[`');
  }

  /** True when the innermost array has another element to read; false once `]` has been consumed. */
  nextItem(): boolean {
    return this.nextMember(0x5d, 'list');
  }

  readString(known?: readonly string[]): string {
    this.skipWhitespace();
    if (this.pos >= this.text.length || this.text.charCodeAt(this.pos) !== QUOTE) {
      this.fail('expected a string');
    }
    this.pos += 1;
    return this.knownStringBody(known) ?? this.readStringBody();
  }

  /**
   * The next value when it is a plain non-negative integer of at most SMALL_INTEGER_DIGITS digits
   * (no sign, fraction or exponent), consumed; else -1 with nothing consumed, for `readNumber`
   * (which also refuses every malformed form). A header holds three numbers or more per tensor:
   * this reads them without a slice of the text, a BigInt and a token object each.
   */
  readSmallUint(): number {
    this.skipWhitespace();
    let at = this.pos;
    let c = this.charAt(at);
    if (c === DIGIT_0) {
      const after = this.charAt(at + 1);
      if (isDigit(after) || after === 0x2e || after === 0x65 || after === 0x45) {
        return -1;
      }
      this.pos = at + 1;
      return 0;
    }
    let value = 0;
    let digits = 0;
    while (isDigit(c)) {
      digits += 1;
      if (digits > SMALL_INTEGER_DIGITS) {
        return -1;
      }
      value = value * 10 + (c - DIGIT_0);
      at += 1;
      c = this.charAt(at);
    }
    if (digits === 0 || c === 0x2e || c === 0x65 || c === 0x45) {
      return -1;
    }
    this.pos = at;
    return value;
  }

  /**
   * `outOfRange: 'keep'` returns a number too large for an f64 (`1e400`) with `integer: null`
   * instead of failing: for files Python writes and reads (an index's `total_size`), where such a
   * value is a problem with that value, not an unreadable file.
   */
  readNumber(outOfRange: 'fail' | 'keep' = 'fail'): JsonNumber {
    this.skipWhitespace();
    const start = this.pos;
    let isInteger = true;
    if (this.charAt(this.pos) === 0x2d) {
      this.pos += 1;
    }
    const first = this.charAt(this.pos);
    if (first === DIGIT_0) {
      this.pos += 1;
      if (isDigit(this.charAt(this.pos))) {
        this.fail('invalid number: leading zero');
      }
    } else if (isDigit(first)) {
      this.skipDigits();
    } else {
      this.fail('invalid number');
    }
    if (this.charAt(this.pos) === 0x2e) {
      isInteger = false;
      this.pos += 1;
      if (!isDigit(this.charAt(this.pos))) {
        this.fail('invalid number: no digit after the decimal point');
      }
      this.skipDigits();
    }
    const e = this.charAt(this.pos);
    if (e === 0x65 || e === 0x45) {
      isInteger = false;
      this.pos += 1;
      const sign = this.charAt(this.pos);
      if (sign === 0x2b || sign === 0x2d) {
        this.pos += 1;
      }
      if (!isDigit(this.charAt(this.pos))) {
        this.fail('invalid number: no digit in the exponent');
      }
      this.skipDigits();
    }
    const text = this.text.slice(start, this.pos);
    // serde_json turns every number it buffers into u64, i64 or f64 and refuses an infinite f64.
    if (!Number.isFinite(Number(text))) {
      if (outOfRange === 'keep') {
        return { text, integer: null };
      }
      this.pos = start;
      this.fail('number out of range');
    }
    // Finite integers have at most 309 digits, so this conversion stays cheap.
    const integer = isInteger && text !== '-0' ? BigInt(text) : null;
    return { text, integer };
  }

  readBoolean(): boolean {
    this.skipWhitespace();
    if (this.text.startsWith('true', this.pos)) {
      this.pos += 4;
      return true;
    }
    if (this.text.startsWith('false', this.pos)) {
      this.pos += 5;
      return false;
    }
    return this.fail('expected ident');
  }

  readNull(): void {
    this.skipWhitespace();
    if (!this.text.startsWith('null', this.pos)) {
      this.fail('expected ident');
    }
    this.pos += 4;
  }

  /** Reads and discards one value of any kind, checking it as strictly as a read would. */
  skipValue(): void {
    const openAtStart = this.firstMember.length;
    const objectAt: boolean[] = [];
    for (;;) {
      const kind = this.peek();
      let opened = false;
      if (kind === 'object') {
        this.beginObject();
        objectAt.push(true);
        opened = this.nextKey() !== null;
      } else if (kind === 'array') {
        this.beginArray();
        objectAt.push(false);
        opened = this.nextItem();
      } else {
        this.skipScalar(kind);
      }
      if (opened) {
        continue;
      }
      if (kind === 'object' || kind === 'array') {
        objectAt.pop();
      }
      // A value is complete: move on to the next member of the innermost container still open.
      for (;;) {
        if (this.firstMember.length === openAtStart) {
          return;
        }
        const inObject = objectAt[objectAt.length - 1];
        if (inObject ? this.nextKey() !== null : this.nextItem()) {
          break;
        }
        objectAt.pop();
      }
    }
  }

  /** Requires that only JSON whitespace follows the value. */
  finish(): void {
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      this.fail('trailing characters');
    }
  }

  private skipScalar(kind: JsonKind): void {
    switch (kind) {
      case 'string':
        this.readString();
        return;
      case 'number':
        this.readNumber();
        return;
      case 'boolean':
        this.readBoolean();
        return;
      case 'null':
        this.readNull();
        return;
      case 'object':
      case 'array':
        this.fail('expected a scalar');
        return;
      default:
        assertUnreachable(kind);
    }
  }

  private open(bracket: number, expected: string): void {
    this.skipWhitespace();
    if (this.charAt(this.pos) !== bracket) {
      this.fail(expected);
    }
    if (this.firstMember.length + 1 >= JSON_DEPTH_BUDGET) {
      this.fail('recursion limit exceeded');
    }
    this.pos += 1;
    this.firstMember.push(true);
  }

  /** Shared comma/close handling for objects and arrays; false (and the container closed) at its end. */
  private nextMember(close: number, what: 'object' | 'list'): boolean {
    const last = this.firstMember.length - 1;
    if (last < 0) {
      this.fail(`not inside an ${what}`);
    }
    const first = this.firstMember[last];
    this.skipWhitespace();
    if (this.pos >= this.text.length) {
      this.fail(`EOF while parsing ${what === 'object' ? 'an object' : 'a list'}`);
    }
    const c = this.text.charCodeAt(this.pos);
    if (c === close) {
      this.pos += 1;
      this.firstMember.pop();
      return false;
    }
    if (first) {
      this.firstMember[last] = false;
      return true;
    }
    if (c !== COMMA) {
      this.fail(`expected \`,\` or \`${String.fromCharCode(close)}\``);
    }
    this.pos += 1;
    this.skipWhitespace();
    if (this.charAt(this.pos) === close) {
      this.fail('trailing comma');
    }
    return true;
  }

  /**
   * One of `known` (plain strings: no quote, backslash or control character) when the string whose
   * opening quote was consumed is exactly it, consumed through its closing quote; else null with
   * nothing consumed. Returns the caller's own string: no slice of the text per key or dtype.
   */
  private knownStringBody(known: readonly string[] | undefined): string | null {
    if (known === undefined) {
      return null;
    }
    const text = this.text;
    for (const k of known) {
      if (text.charCodeAt(this.pos + k.length) === QUOTE && text.startsWith(k, this.pos)) {
        this.pos += k.length + 1;
        return k;
      }
    }
    return null;
  }

  /** The body of a string whose opening quote has been consumed, through its closing quote. */
  private readStringBody(): string {
    const text = this.text;
    const start = this.pos;
    // Fast path: no escape, the string is one slice of the text.
    for (;;) {
      if (this.pos >= text.length) {
        this.fail('EOF while parsing a string');
      }
      const c = text.charCodeAt(this.pos);
      if (c === QUOTE) {
        this.pos += 1;
        return text.slice(start, this.pos - 1);
      }
      if (c === BACKSLASH) {
        return this.readEscapedStringBody(start);
      }
      if (c < 0x20) {
        this.fail('control character (\\u0000-\\u001F) found while parsing a string');
      }
      this.pos += 1;
    }
  }

  /**
   * The rest of a string that holds escapes. Pieces are joined in batches so that millions of
   * escapes make a flat string, not a rope of millions of nodes.
   */
  private readEscapedStringBody(start: number): string {
    const text = this.text;
    const done: string[] = [];
    let pieces: string[] = [];
    const push = (piece: string): void => {
      pieces.push(piece);
      if (pieces.length >= STRING_PIECES_PER_JOIN) {
        done.push(pieces.join(''));
        pieces = [];
      }
    };
    let chunkStart = start;
    for (;;) {
      if (this.pos >= text.length) {
        this.fail('EOF while parsing a string');
      }
      const c = text.charCodeAt(this.pos);
      if (c === QUOTE) {
        push(text.slice(chunkStart, this.pos));
        this.pos += 1;
        done.push(pieces.join(''));
        return done.join('');
      }
      if (c === BACKSLASH) {
        push(text.slice(chunkStart, this.pos));
        this.pos += 1;
        push(this.readEscape());
        chunkStart = this.pos;
      } else if (c < 0x20) {
        this.fail('control character (\\u0000-\\u001F) found while parsing a string');
      } else {
        this.pos += 1;
      }
    }
  }

  /** One escape after its backslash. Lone surrogates are refused, as serde_json does for `String`. */
  private readEscape(): string {
    if (this.pos >= this.text.length) {
      this.fail('EOF while parsing a string');
    }
    const c = this.text.charCodeAt(this.pos);
    this.pos += 1;
    switch (c) {
      case QUOTE:
        return '"';
      case BACKSLASH:
        return '\\';
      case 0x2f:
        return '/';
      case 0x62:
        return '\b';
      case 0x66:
        return '\f';
      case 0x6e:
        return '\n';
      case 0x72:
        return '\r';
      case 0x74:
        return '\t';
      case 0x75:
        return this.readUnicodeEscape();
      default:
        this.pos -= 1;
        return this.fail('invalid escape');
    }
  }

  private readUnicodeEscape(): string {
    const unit = this.readHex4();
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      this.fail('lone leading surrogate in hex escape');
    }
    if (unit < 0xd800 || unit > 0xdbff) {
      return String.fromCharCode(unit);
    }
    if (this.charAt(this.pos) !== BACKSLASH || this.charAt(this.pos + 1) !== 0x75) {
      this.fail('unexpected end of hex escape');
    }
    this.pos += 2;
    const low = this.readHex4();
    if (low < 0xdc00 || low > 0xdfff) {
      this.fail('lone leading surrogate in hex escape');
    }
    return String.fromCharCode(unit, low);
  }

  private readHex4(): number {
    if (this.pos + 4 > this.text.length) {
      this.fail('EOF while parsing a string');
    }
    let value = 0;
    for (let i = 0; i < 4; i += 1) {
      const digit = hexValue(this.text.charCodeAt(this.pos));
      if (digit < 0) {
        this.fail('invalid escape');
      }
      value = value * 16 + digit;
      this.pos += 1;
    }
    return value;
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      // RFC 8259 whitespace only: no BOM, NBSP, form feed or NUL (catalogue B2, B5).
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        return;
      }
      this.pos += 1;
    }
  }

  private skipDigits(): void {
    while (isDigit(this.charAt(this.pos))) {
      this.pos += 1;
    }
  }

  /** The UTF-16 unit at `at`, or -1 past the end (never a digit, quote or bracket). */
  private charAt(at: number): number {
    return at < this.text.length ? this.text.charCodeAt(at) : -1;
  }
}

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

function hexValue(c: number): number {
  if (c >= DIGIT_0 && c <= DIGIT_9) {
    return c - DIGIT_0;
  }
  if (c >= 0x61 && c <= 0x66) {
    return c - 0x61 + 10;
  }
  if (c >= 0x41 && c <= 0x46) {
    return c - 0x41 + 10;
  }
  return -1;
}

/** 1-based line and column (in UTF-16 units) of an offset, for messages. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(position, text.length);
  for (let i = 0; i < end; i += 1) {
    if (text.charCodeAt(i) === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
