import { describe, expect, it } from 'vitest';
import { addFiles } from './add-files';

const f = (name: string, text: string) => ({ name, file: new Blob([text]) });

describe('addFiles', () => {
  it('adds new paths and replaces files of the same path', async () => {
    const merged = addFiles(
      [f('a.safetensors', 'a'), f('model.safetensors.index.json', '{}')],
      [f('b.safetensors', 'b'), f('a.safetensors', 'a2')],
    );
    expect(merged.map((x) => x.name)).toEqual([
      'model.safetensors.index.json',
      'b.safetensors',
      'a.safetensors',
    ]);
    expect(await merged[2]?.file.text()).toBe('a2');
  });
});
