import { describe, expect, it } from 'vitest';
import { DEFAULT_HUB_ENDPOINT, parseRemoteInput, resolveUrl, treeUrl } from './hub-input';

const HUB = DEFAULT_HUB_ENDPOINT;

describe('parseRemoteInput', () => {
  it('reads hf:// inputs with an optional revision and path', () => {
    expect(parseRemoteInput('hf://org/name', HUB)).toEqual({
      kind: 'hub',
      repo: 'org/name',
      revision: 'main',
      path: '',
    });
    expect(parseRemoteInput('hf://org/name@v1.0/sub/model.safetensors', HUB)).toEqual({
      kind: 'hub',
      repo: 'org/name',
      revision: 'v1.0',
      path: 'sub/model.safetensors',
    });
    expect(() => parseRemoteInput('hf://org', HUB)).toThrow(RangeError);
    expect(() => parseRemoteInput('hf://org/name/../x', HUB)).toThrow(RangeError);
  });

  it('reads the endpoint URLs: repo, tree, blob, resolve', () => {
    expect(parseRemoteInput('https://huggingface.co/org/name', HUB)).toMatchObject({
      repo: 'org/name',
      revision: 'main',
      path: '',
    });
    expect(parseRemoteInput('https://huggingface.co/org/name/tree/abc123/sub', HUB)).toMatchObject({
      revision: 'abc123',
      path: 'sub',
    });
    expect(
      parseRemoteInput('https://huggingface.co/org/name/blob/main/a%20b.safetensors', HUB),
    ).toMatchObject({ path: 'a b.safetensors' });
    expect(
      parseRemoteInput(
        'https://huggingface.co/org/name/resolve/main/x.safetensors?download=true',
        HUB,
      ),
    ).toMatchObject({ path: 'x.safetensors' });
    expect(() => parseRemoteInput('https://huggingface.co/org/name/blob/main', HUB)).toThrow(
      RangeError,
    );
  });

  it('follows HF_ENDPOINT, treats other URLs as plain files, and local paths as not remote', () => {
    const mirror = 'http://127.0.0.1:4207';
    expect(parseRemoteInput(`${mirror}/org/name`, mirror)).toMatchObject({
      kind: 'hub',
      repo: 'org/name',
    });
    expect(parseRemoteInput('https://huggingface.co/org/name', mirror)).toEqual({
      kind: 'url',
      url: 'https://huggingface.co/org/name',
    });
    expect(parseRemoteInput('./model.safetensors', HUB)).toBeNull();
  });

  it('builds resolve and tree URLs with encoded segments', () => {
    expect(resolveUrl(HUB, 'org/name', 'refs/pr/1', 'a b/c.json')).toBe(
      'https://huggingface.co/org/name/resolve/refs%2Fpr%2F1/a%20b/c.json',
    );
    expect(treeUrl(`${HUB}/`, 'org/name', 'main')).toBe(
      'https://huggingface.co/api/models/org/name/tree/main?recursive=true',
    );
  });
});
