/**
 * Names as the page shows them: bidi controls, zero-width characters, the BOM and other invisible
 * or control characters are written as `⟨U+202E⟩`, so `bidi\u202Egnp.exe` cannot display as
 * "bidiexe.png" and two names that differ only by an invisible character look different.
 * The name itself (data-name attributes, the URL, exports) is never changed; only the text shown.
 *
 * core/report/display-name.ts (issue 11) is meant to hold the shared helper; until it lands the app
 * uses this one.
 */

/**
 * Invisible code points, as [first, last] ranges: C0 and C1 controls, the soft hyphen, the Arabic
 * letter mark, the Mongolian vowel separator, zero-width space/joiners, LRM/RLM, line/paragraph
 * separators, bidi embeddings/overrides/isolates, word joiner and invisible operators, the BOM,
 * and the interlinear annotation specials.
 */
const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
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

function isInvisible(code: number): boolean {
  return INVISIBLE_RANGES.some(([first, last]) => code >= first && code <= last);
}

function codePoint(code: number): string {
  return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

export function visibleName(name: string): string {
  if (!hasInvisible(name)) {
    return name;
  }
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    out += isInvisible(code) ? codePoint(code) : name[i];
  }
  return out;
}

/** Whether `visibleName` would change the name (worth a warning next to it). */
export function hasInvisible(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if (isInvisible(name.charCodeAt(i))) {
      return true;
    }
  }
  return false;
}
