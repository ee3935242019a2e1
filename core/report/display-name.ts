/**
 * Making attacker-chosen names (tensor names, file names, metadata, messages quoting them)
 * displayable without being misread: control characters (ESC starts terminal escape sequences),
 * bidi controls (`bidi\u202Egnp.exe` displays as "bidiexe.png"), zero-width characters and the BOM
 * (two names that look the same but are not), and lone surrogates are shown as their code, and
 * very long names are shortened in the middle. The name itself is never changed: JSON exports,
 * data attributes and lookups keep it whole; only the text shown goes through here.
 */

/**
 * Invisible or control code points, as [first, last] ranges: C0 and C1 controls, the soft hyphen,
 * the Arabic letter mark, the Mongolian vowel separator, zero-width space/joiners, LRM/RLM,
 * line/paragraph separators, bidi embeddings/overrides/isolates, word joiner and invisible
 * operators, the BOM, and the interlinear annotation characters.
 */
export const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0x0000, 0x001f],
  [0x007f, 0x009f],
  [0x00ad, 0x00ad],
  [0x061c, 0x061c],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2069],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
];

/** Names longer than this (UTF-16 units) are shortened in the middle in text output. */
export const MAX_DISPLAY_NAME_CHARS = 256;
/** What replaces the middle of a shortened name. */
const ELLIPSIS = '…';

export function isInvisible(code: number): boolean {
  for (const [first, last] of INVISIBLE_RANGES) {
    if (code >= first && code <= last) {
      return true;
    }
  }
  return false;
}

/**
 * Whether `text` may hold something to replace: INVISIBLE_RANGES and surrogates (checked one by
 * one below only then). A native scan: most names have nothing to escape, and a report prints
 * hundreds of thousands of them.
 */
const MAYBE_INVISIBLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]/;

/** `text` with every invisible code point and lone surrogate replaced by `render(code)`. */
export function replaceInvisible(text: string, render: (code: number) => string): string {
  if (!MAYBE_INVISIBLE.test(text)) {
    return text;
  }
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let bad = isInvisible(code);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid pair
        continue;
      }
      bad = true;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      bad = true;
    }
    if (bad) {
      out += text.slice(from, i) + render(code);
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

function hex4(code: number): string {
  return code.toString(16).padStart(4, '0');
}

/** For terminals and Markdown: invisible characters as `\u202e` (the CLI's established form). */
export function escapedText(text: string): string {
  return replaceInvisible(text, (code) => `\\u${hex4(code)}`);
}

/** For the page: invisible characters as `⟨U+202E⟩`. */
export function visibleName(name: string): string {
  return replaceInvisible(name, (code) => `⟨U+${hex4(code).toUpperCase()}⟩`);
}

/**
 * `text` cut to at most `max` UTF-16 units by replacing its middle with `…` (never splitting a
 * surrogate pair), so both the start (the module path) and the end (the role) stay readable.
 */
export function shortenMiddle(text: string, max: number = MAX_DISPLAY_NAME_CHARS): string {
  if (text.length <= max) {
    return text;
  }
  const keep = Math.max(0, max - ELLIPSIS.length);
  let head = Math.ceil(keep / 2);
  let tail = keep - head;
  if (isHighSurrogate(text.charCodeAt(head - 1))) {
    head--;
  }
  if (isLowSurrogate(text.charCodeAt(text.length - tail))) {
    tail--;
  }
  return text.slice(0, head) + ELLIPSIS + text.slice(text.length - tail);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** A name for text output: shortened in the middle, then its invisible characters escaped. */
export function displayName(name: string): string {
  return escapedText(shortenMiddle(name));
}
