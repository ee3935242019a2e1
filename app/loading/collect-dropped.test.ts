import { describe, expect, it } from 'vitest';
import { collectDropped, collectFileList } from './collect-dropped';

/** Minimal stand-ins for the File and Directory Entries API objects a real drop carries. */
function fileEntry(fullPath: string) {
  const name = fullPath.split('/').pop() ?? '';
  return {
    isFile: true,
    isDirectory: false,
    name,
    fullPath,
    file: (ok: (f: File) => void) => ok(new File([new Uint8Array(1)], name)),
  };
}
function dirEntry(fullPath: string, children: unknown[]) {
  return {
    isFile: false,
    isDirectory: true,
    name: fullPath.split('/').pop() ?? '',
    fullPath,
    createReader: () => {
      // Hand the children out in two batches, as browsers do (readEntries is paged).
      const batches = [children.slice(0, 2), children.slice(2), []];
      return { readEntries: (ok: (e: unknown[]) => void) => ok(batches.shift() ?? []) };
    },
  };
}
function items(entries: unknown[]): DataTransferItemList {
  return entries.map((e) => ({
    kind: 'file',
    webkitGetAsEntry: () => e,
  })) as unknown as DataTransferItemList;
}

describe('collectDropped', () => {
  it('walks dropped folders recursively, keeps relative paths, lists what it ignores', async () => {
    const drop = items([
      dirEntry('/ckpt', [
        fileEntry('/ckpt/model-00001-of-00002.safetensors'),
        fileEntry('/ckpt/README.md'),
        fileEntry('/ckpt/model.safetensors.index.json'),
        dirEntry('/ckpt/sub', [
          fileEntry('/ckpt/sub/config.json'),
          fileEntry('/ckpt/sub/tokenizer.json'),
        ]),
      ]),
      fileEntry('/loose.safetensors'),
    ]);
    const c = await collectDropped(drop, null);
    expect(c.files.map((f) => f.name).sort()).toEqual([
      'ckpt/model-00001-of-00002.safetensors',
      'ckpt/model.safetensors.index.json',
      'ckpt/sub/config.json',
      'loose.safetensors',
    ]);
    expect(c.ignored.sort()).toEqual(['ckpt/README.md', 'ckpt/sub/tokenizer.json']);
  });

  it('falls back to plain files when a drop carries no entries', async () => {
    const c = await collectDropped(null, [
      new File([], 'a.safetensors'),
      new File([], 'notes.txt'),
    ] as unknown as FileList);
    expect(c.files.map((f) => f.name)).toEqual(['a.safetensors']);
    expect(c.ignored).toEqual(['notes.txt']);
  });

  it('the pickers keep the folder structure of webkitRelativePath', () => {
    const f = new File([], 'config.json');
    Object.defineProperty(f, 'webkitRelativePath', { value: 'ckpt/config.json' });
    expect(collectFileList([f]).files.map((x) => x.name)).toEqual(['ckpt/config.json']);
  });
});
