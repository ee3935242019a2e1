import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** `from './name'` (type-only imports included: a cycle of types is still a tangle of concerns). */
const LOCAL_IMPORT = /from '\.\/([\w-]+)'/g;

/** The modules of core/repair (tests left out) and the local modules each imports. */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.ts') && !file.endsWith('.test.ts')) {
      const text = readFileSync(join(dir, file), 'utf8');
      graph.set(file.slice(0, -'.ts'.length), [
        ...new Set([...text.matchAll(LOCAL_IMPORT)].map((m) => m[1])),
      ]);
    }
  }
  return graph;
}

/** Every import cycle, as the path that closes it (depth-first, each cycle found from its first module). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const visit = (node: string, path: string[]): void => {
    const at = path.indexOf(node);
    if (at >= 0) {
      found.push([...path.slice(at), node].join(' → '));
      return;
    }
    if (done.has(node)) {
      return;
    }
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      visit(next, path);
    }
    path.pop();
    done.add(node);
  };
  for (const node of graph.keys()) {
    visit(node, []);
  }
  return found;
}

describe('core/repair imports', () => {
  it('form no cycle: the decisions live in repair-decisions.ts, which the rest imports', () => {
    const graph = importGraph(import.meta.dirname);
    expect(graph.get('repair-decisions')).toEqual(['replacement']);
    expect(cycles(graph)).toEqual([]);
  });

  it('the cycle finder finds a planted cycle', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph)).toEqual(['a → b → c → a']);
  });
});
