import { describe, expect, it } from 'vitest';
import { selectCheckpointFiles } from './select-files';

const FILES = [
  { path: 'README.md', size: 1 },
  { path: 'config.json', size: 2 },
  { path: 'model-00002-of-00002.safetensors', size: 3 },
  { path: 'model-00001-of-00002.safetensors', size: 3 },
  { path: 'model.safetensors.index.json', size: 4 },
  { path: 'sub/model.safetensors', size: 5 },
  { path: 'docs/x.txt', size: 6 },
];

describe('selectCheckpointFiles', () => {
  it('takes a folder’s checkpoint files, not recursively, sorted', () => {
    const root = selectCheckpointFiles(FILES, '');
    expect(root.ok && root.files.map((f) => f.path)).toEqual([
      'config.json',
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
      'model.safetensors.index.json',
    ]);
    const sub = selectCheckpointFiles(FILES, 'sub');
    expect(sub.ok && sub.files.map((f) => f.path)).toEqual(['sub/model.safetensors']);
  });

  it('takes one file alone, an index with its folder, and explains what is missing', () => {
    const one = selectCheckpointFiles(FILES, 'model-00001-of-00002.safetensors');
    expect(one.ok && one.files.map((f) => f.path)).toEqual(['model-00001-of-00002.safetensors']);
    const index = selectCheckpointFiles(FILES, 'model.safetensors.index.json');
    expect(index.ok && index.files.length).toBe(4);
    expect(selectCheckpointFiles(FILES, 'docs')).toEqual({
      ok: false,
      message: 'docs holds no .safetensors file',
    });
    expect(selectCheckpointFiles(FILES, 'nope')).toEqual({
      ok: false,
      message: 'nope: no such file or folder',
    });
    expect(selectCheckpointFiles(FILES, 'README.md').ok).toBe(false);
  });
});
