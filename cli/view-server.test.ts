import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../core/io/http-client';
import { openHttpSource } from '../core/io/http-source';
import { runtimeHttpEnv } from '../core/io/http-types';
import { lcgBytes } from '../core/testing/lcg-bytes';
import { startViewServer } from './view-server';
import type { ViewListing, ViewServer } from './view-server';

let dir = '';
let server: ViewServer;
let origin = '';
const DATA = lcgBytes(2 * 1024 * 1024 + 3, 11);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-view-'));
  mkdirSync(join(dir, 'app', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'app', 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dir, 'app', 'assets', 'a.js'), 'export {}');
  writeFileSync(join(dir, 'model.safetensors'), DATA);
  writeFileSync(join(dir, 'secret.txt'), 'not served');
  server = await startViewServer(
    [{ name: 'ckpt/model.safetensors', location: join(dir, 'model.safetensors') }],
    join(dir, 'app'),
  );
  origin = server.url.slice(0, server.url.indexOf('/?'));
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('view server', () => {
  it('serves the app on 127.0.0.1 with a random token in the page URL', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?view=[0-9a-f]{32}$/);
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>app</title>');
    expect((await fetch(`${origin}/assets/a.js`)).status).toBe(200);
  });

  it('lists exactly the given files and serves them with Range, read-only', async () => {
    const listing = (await (
      await fetch(`${origin}/${server.token}/files.json`)
    ).json()) as ViewListing;
    expect(listing.files).toEqual([
      {
        name: 'ckpt/model.safetensors',
        url: `/${server.token}/f/0/model.safetensors`,
        size: DATA.length,
      },
    ]);
    const r = await fetch(`${origin}${listing.files[0].url}`, { headers: { range: 'bytes=5-9' } });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe(`bytes 5-9/${DATA.length}`);
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(DATA.slice(5, 10));
    expect((await fetch(`${origin}${listing.files[0].url}`, { method: 'POST' })).status).toBe(405);
  });

  it('serves nothing else: no listing, no other file, no path outside, no other token', async () => {
    for (const path of [
      `/${server.token}/`,
      `/${server.token}/f/`,
      `/${server.token}/f/1/x`,
      `/${server.token}/f/0/../../secret.txt`,
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      `/${'0'.repeat(32)}/files.json`,
      `/${'0'.repeat(32)}/f/0/model.safetensors`,
    ]) {
      const r = await fetch(`${origin}${path}`);
      expect(r.status, path).toBe(404);
    }
  });

  it('is read by the HTTP byte source as the page reads it', async () => {
    const env = runtimeHttpEnv();
    if (env === null) {
      throw new Error('no fetch');
    }
    const client = new HttpClient({ env });
    const src = await openHttpSource(
      client,
      `${origin}/${server.token}/f/0/model.safetensors`,
      'model.safetensors',
    );
    expect(src.size).toBe(DATA.length);
    expect(await src.read(1_000_000, 70_000)).toEqual(DATA.slice(1_000_000, 1_070_000));
    await src.close();
  });
});
