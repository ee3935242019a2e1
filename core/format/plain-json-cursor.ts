import { EMPTY_NAME_HASH, hashUnit } from './name-set';

/**
 * The JSON tokens of the plain header form (plain-header.ts), read in place from the header text:
 * strings without escapes (hashed while scanned, for HashedNameSet), integers of at most
 * MAX_PLAIN_DIGITS digits, brackets, commas and colons. Whatever leaves that form throws
 * NOT_PLAIN, and the header is read by the general path instead.
 */

/** Thrown (this one instance, no stack captured per throw) where the text leaves the plain form. */
export const NOT_PLAIN = new Error('not a plain safetensors header');

export function notPlain(): never {
  throw NOT_PLAIN;
}

/** Integers of up to this many digits are below 2^53, so exact as numbers; longer ones leave. */
const MAX_PLAIN_DIGITS = 15;

export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** Below this, a UTF-16 unit is a control character, which a JSON string may not hold raw. */
const FIRST_PRINTABLE = 0x20;

/** A read position in a header text, and the plain-form tokens at it. */
export class PlainJsonCursor {
  protected readonly text: string;
  protected pos = 0;
  /** `hashUnit` fold of the string `string` read last. */
  protected hash = 0;

  constructor(text: string) {
    this.text = text;
  }

  /** A string without escapes or control characters at the position, its quotes consumed. */
  protected string(): string {
    const text = this.text;
    if (text.charCodeAt(this.pos) !== QUOTE) {
      notPlain();
    }
    const start = this.pos + 1;
    let hash = EMPTY_NAME_HASH;
    for (let at = start; at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (c === QUOTE) {
        this.pos = at + 1;
        this.hash = hash;
        return text.slice(start, at);
      }
      if (c === BACKSLASH || c < FIRST_PRINTABLE) {
        break;
      }
      hash = hashUnit(hash, c);
    }
    return notPlain();
  }

  /**
   * A non-negative integer of at most MAX_PLAIN_DIGITS digits without a leading zero. What follows
   * is for the caller to check (`,` or a closing bracket), which refuses fractions and exponents.
   */
  protected uint(): number {
    this.skipWhitespace();
    const text = this.text;
    let at = this.pos;
    let c = text.charCodeAt(at);
    if (c === DIGIT_0) {
      this.pos = at + 1;
      return 0;
    }
    let value = 0;
    const limit = at + MAX_PLAIN_DIGITS;
    while (c >= DIGIT_0 && c <= DIGIT_9) {
      if (at === limit) {
        notPlain();
      }
      value = value * 10 + (c - DIGIT_0);
      at += 1;
      c = text.charCodeAt(at);
    }
    if (at === this.pos) {
      notPlain();
    }
    this.pos = at;
    return value;
  }

  protected open(bracket: number): void {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== bracket) {
      notPlain();
    }
    this.pos += 1;
  }

  protected close(bracket: number): void {
    this.open(bracket);
  }

  protected colon(): void {
    this.open(COLON);
    this.skipWhitespace();
  }

  protected comma(): void {
    this.open(COMMA);
  }

  /** After an opening bracket: false (closing bracket consumed) when the container is empty. */
  protected firstMember(close: number): boolean {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === close) {
      this.pos += 1;
      return false;
    }
    return true;
  }

  /** After a member: true (comma consumed, whitespace skipped) when another follows. */
  protected nextMember(close: number): boolean {
    this.skipWhitespace();
    const c = this.text.charCodeAt(this.pos);
    this.pos += 1;
    if (c === close) {
      return false;
    }
    if (c !== COMMA) {
      notPlain();
    }
    this.skipWhitespace();
    return true;
  }

  protected skipWhitespace(): void {
    const text = this.text;
    let at = this.pos;
    for (;;) {
      const c = text.charCodeAt(at);
      // RFC 8259 whitespace only (NaN past the end stops the loop).
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        break;
      }
      at += 1;
    }
    this.pos = at;
  }
}
