import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mdCode, mdCodeBlock, mdText, shellWord } from './markdown-text';

/**
 * CommonMark's code span rule, independently: a run of n backticks opens a span that ends at the
 * next run of exactly n backticks; one space is stripped from each end when both ends have one and
 * the content is not all spaces. Returns the literal content, and what follows the span.
 */
function readCodeSpan(s: string): { content: string; rest: string } | null {
  const open = /^`+/.exec(s);
  if (open === null) {
    return null;
  }
  const n = open[0].length;
  let i = n;
  while (i < s.length) {
    if (s[i] !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (s[j] === '`') {
      j++;
    }
    if (j - i === n) {
      let content = s.slice(n, i).replace(/\n/g, ' ');
      if (
        content.length >= 2 &&
        content.startsWith(' ') &&
        content.endsWith(' ') &&
        content.trim() !== ''
      ) {
        content = content.slice(1, -1);
      }
      return { content, rest: s.slice(j) };
    }
    i = j;
  }
  return null;
}

/** Every markup character is backslash-escaped and `<`, `>`, `&` appear only as entities. */
function inert(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      if (!/[\\`*_{}[\]()#+\-.!|~:@$=^]/.test(s[i + 1] ?? '')) {
        return false;
      }
      i++;
    } else if (/[`*_{}[\]()#+\-.!|~:@$=^<>\n\r]/.test(c)) {
      return false;
    } else if (c === '&' && !/^&(lt|gt|amp);/.test(s.slice(i))) {
      return false;
    }
  }
  return true;
}

const HOSTILE = [
  'a`b',
  '``',
  '`',
  ' `x` ',
  '![x](http://evil.example/i.png)',
  '<img src=x onerror=alert(1)>',
  'a|b',
  'esc\u001b[31mbel\u0007',
  'line\nbreak',
  '*bold* _it_ [l](javascript:alert(1)) &lt; www.evil.example https://evil.example',
];

describe('inert Markdown text', () => {
  it('keeps a name exactly inside its code span, whatever backticks it holds', () => {
    for (const name of HOSTILE) {
      const span = readCodeSpan(mdCode(name, false));
      expect(span?.rest).toBe('');
      expect(span?.content).toBe(
        name.replace(
          // eslint-disable-next-line no-control-regex -- escaping them is what is tested
          /[\u0000-\u001f]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        ),
      );
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (name) => {
        const span = readCodeSpan(mdCode(name, false));
        expect(span?.rest).toBe('');
      }),
    );
  });

  it('escapes pipes inside table cells, even in code spans', () => {
    expect(mdCode('a|b', true)).toBe('` a\\|b `');
    expect(mdText('a|b')).toBe('a\\|b');
  });

  it('escapes every markup character of plain text, and control characters as in the CLI', () => {
    for (const text of HOSTILE) {
      expect(inert(mdText(text)), mdText(text)).toBe(true);
    }
    expect(mdText('<img src=x>')).toBe('&lt;img src\\=x&gt;');
    expect(mdText('bel\u0007')).toBe('bel\\\\u0007');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(inert(mdText(text))).toBe(true);
      }),
    );
  });

  it('fences code blocks past any backtick run and quotes shell words', () => {
    expect(mdCodeBlock('sh', ['a ```` b'])).toEqual(['`````sh', 'a ```` b', '`````']);
    expect(shellWord('ckpt/model.safetensors')).toBe('ckpt/model.safetensors');
    expect(shellWord("it's $(rm -rf ~)")).toBe(`'it'\\''s $(rm -rf ~)'`);
  });
});
