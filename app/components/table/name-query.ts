/**
 * The tensor filter's query: words separated by spaces, all of which must match (`experts 47
 * down`), each either a substring or, when it holds `*` or `?`, a glob over the whole name
 * (`*.weight_scale`, `model.layers.?.mlp.*`). Case-insensitive. Globs run as a set of states
 * (no backtracking regex is built from what the user types), linear in name × pattern length.
 */
export type NameMatcher = (lowerName: string) => boolean;

function isGlob(word: string): boolean {
  return word.includes('*') || word.includes('?');
}

/** A whole-name glob matcher with its two state buffers allocated once (100k names per keystroke). */
function globMatcher(glob: string): NameMatcher {
  const m = glob.length;
  let current = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  const closeStars = (states: Uint8Array): void => {
    for (let j = 0; j < m; j++) {
      if (states[j] === 1 && glob[j] === '*') {
        states[j + 1] = 1;
      }
    }
  };
  return (name) => {
    current.fill(0);
    current[0] = 1;
    closeStars(current);
    for (let k = 0; k < name.length; k++) {
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
        return false;
      }
      closeStars(next);
      const swap = current;
      current = next;
      next = swap;
    }
    return current[m] === 1;
  };
}

/**
 * The common globs without a state machine: `*suffix`, `prefix*`, `*part*` (no `?`, no inner `*`)
 * are endsWith / startsWith / includes, several times faster over 100k names.
 */
function simpleGlob(glob: string): NameMatcher | null {
  if (glob.includes('?')) {
    return null;
  }
  const inner = glob.replace(/^\*/, '').replace(/\*$/, '');
  if (inner.includes('*')) {
    return null;
  }
  const leading = glob.startsWith('*');
  const trailing = glob.length > 1 && glob.endsWith('*');
  if (leading && trailing) {
    return (name) => name.includes(inner);
  }
  if (leading) {
    return (name) => name.endsWith(inner);
  }
  return (name) => name.startsWith(inner);
}

/** A matcher for the whole query, or null when it is empty (everything matches). */
export function compileNameQuery(query: string): NameMatcher | null {
  const words = query
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) {
    return null;
  }
  const matchers = words.map((word): NameMatcher => {
    if (isGlob(word)) {
      return simpleGlob(word) ?? globMatcher(word);
    }
    return (name) => name.includes(word);
  });
  return (name) => matchers.every((match) => match(name));
}
