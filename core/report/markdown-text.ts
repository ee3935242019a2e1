import { escapedText, shortenMiddle } from './display-name';

/**
 * Text that Markdown renders exactly as written, never as markup: names and messages come from
 * files someone else wrote, and a tensor name with backticks used to break out of its code span and
 * render a remote image. Every helper first escapes invisible characters (display-name.ts).
 *
 * CommonMark facts this relies on: a code span's content is literal (no emphasis, links, HTML or
 * entities) and ends only at a backtick run of its opening length, so a fence longer than any run
 * inside cannot be closed early; one leading and one trailing space are stripped when both are
 * present. Outside code, any ASCII punctuation may be backslash-escaped, and `&lt;` `&gt;` `&amp;`
 * are entities. In a GFM table, `\|` is a literal pipe even inside a code span (rows are split on
 * unescaped pipes before inline parsing).
 */

/** Punctuation that can start markup or an autolink outside code (CommonMark + GFM extensions). */
const MARKUP = /[\\`*_{}[\]()#+\-.!|~:@$=^]/g;
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Plain text (a message, a verdict), in a table cell or not: every markup character escaped, one line. */
export function mdText(text: string): string {
  return escapedText(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[&<>]/g, (c) => ENTITIES[c] ?? c)
    .replace(MARKUP, (c) => `\\${c}`);
}

/** The longest run of backticks in `text`. */
function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (const ch of text) {
    run = ch === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/**
 * A name as a code span: shortened in the middle past 256 characters, invisible characters
 * escaped, fenced by more backticks than any run inside and padded with one space on each side
 * (stripped by the renderer), pipes escaped when it sits in a table cell.
 */
export function mdCode(name: string, inTable: boolean): string {
  let body = escapedText(shortenMiddle(name));
  if (inTable) {
    body = body.replace(/\|/g, '\\|');
  }
  const fence = '`'.repeat(longestBacktickRun(body) + 1);
  return `${fence} ${body} ${fence}`;
}

/** A fenced code block (```sh …```) whose fence no line inside can close. */
export function mdCodeBlock(info: string, lines: readonly string[]): string[] {
  const body = lines.map((l) => escapedText(l));
  const fence = '`'.repeat(body.reduce((n, l) => Math.max(n, longestBacktickRun(l) + 1), 3));
  return [`${fence}${info}`, ...body, fence];
}

/** A path as one POSIX shell word (single-quoted; a quote inside as '\''). */
export function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
