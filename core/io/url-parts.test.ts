import { describe, expect, it } from 'vitest';
import { originOf, parseUrl, redactUrl, resolveLocation } from './url-parts';

describe('url parts', () => {
  it('splits absolute http(s) URLs and drops user info', () => {
    expect(parseUrl('https://user:pw@Example.com:8443/a/b?x=1#f')).toEqual({
      protocol: 'https:',
      host: 'example.com:8443',
      path: '/a/b',
      query: '?x=1',
    });
    expect(parseUrl('ftp://x/y')).toBeNull();
    expect(parseUrl('/local/path')).toBeNull();
    expect(originOf('http://127.0.0.1:4207/x')).toBe('http://127.0.0.1:4207');
  });

  it('shows URLs without query string, fragment or credentials', () => {
    expect(redactUrl('https://cdn.example/blob?X-Amz-Signature=abc#k')).toBe(
      'https://cdn.example/blob',
    );
    expect(redactUrl('https://tok@cdn.example/blob')).toBe('https://cdn.example/blob');
    expect(redactUrl('not a url?secret')).toBe('not a url');
  });

  it('resolves Location headers', () => {
    const base = 'https://hub.example/org/name/resolve/main/a.json';
    expect(resolveLocation(base, 'https://cdn.example/x')).toBe('https://cdn.example/x');
    expect(resolveLocation(base, '/api/resolve-cache/x')).toBe(
      'https://hub.example/api/resolve-cache/x',
    );
    expect(resolveLocation(base, '//cdn.example/y')).toBe('https://cdn.example/y');
    expect(resolveLocation(base, 'b.json')).toBe(
      'https://hub.example/org/name/resolve/main/b.json',
    );
  });
});
