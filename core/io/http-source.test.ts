import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lcgBytes } from '../testing/lcg-bytes';
import { HostSlots } from './host-slots';
import { HttpClient } from './http-client';
import { isRemoteReadError } from './http-errors';
import { openHttpSource } from './http-source';
import { runtimeHttpEnv } from './http-types';

/** A plain Range server (no redirects) over one deterministic file; records every request. */
const FILE = lcgBytes(3 * 1024 * 1024, 7);
let server: Server;
let base = '';
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    if (req.url === '/gated' && req.headers.authorization !== 'Bearer t0k') {
      res.writeHead(401, { 'x-error-code': 'GatedRepo' }).end();
      return;
    }
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (m === null) {
      res.writeHead(200).end(Buffer.from(FILE));
      return;
    }
    const start = Number(m[1]);
    const end = Math.min(FILE.length, Number(m[2]) + 1);
    res.writeHead(206, {
      etag: '"v1"',
      'content-range': `bytes ${start}-${end - 1}/${FILE.length}`,
      'content-length': String(end - start),
    });
    res.end(Buffer.from(FILE.subarray(start, end)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function client(): HttpClient {
  const env = runtimeHttpEnv();
  if (env === null) {
    throw new Error('no fetch');
  }
  return new HttpClient({
    env,
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 10, maxRetryAfterMs: 10 },
  });
}

describe('HttpSource', () => {
  it('takes size and header bytes from one probe, then reads ranges exactly', async () => {
    seen.length = 0;
    const c = client();
    const src = await openHttpSource(c, `${base}/f.safetensors?sig=1`, 'f.safetensors', {
      probeBytes: 1024,
    });
    expect(src.size).toBe(FILE.length);
    expect(await src.read(10, 100)).toEqual(FILE.slice(10, 110));
    expect(c.counts.requests).toBe(1);
    expect(await src.read(2_000_000, 5000)).toEqual(FILE.slice(2_000_000, 2_005_000));
    expect(c.counts.requests).toBe(2);
    expect(seen[1].range).toBe('bytes=2000000-2004999');
    expect(seen[1]['if-range']).toBe('"v1"');
    await src.close();
  });

  it('fetches planned ranges closer than the gap in one streamed request', async () => {
    const c = client();
    const src = await openHttpSource(c, `${base}/f`, 'f', { probeBytes: 16, gapBytes: 4096 });
    const ranges = [
      { offset: 100_000, length: 10 },
      { offset: 102_000, length: 3000 },
      { offset: 108_000, length: 1 },
      { offset: 1_000_000, length: 64 },
    ];
    src.plan(ranges);
    const got = await Promise.all(ranges.map((r) => src.read(r.offset, r.length)));
    got.forEach((bytes, i) =>
      expect(bytes).toEqual(FILE.slice(ranges[i].offset, ranges[i].offset + ranges[i].length)),
    );
    // The probe, one request for the first three (gaps under 4096), one for the far one.
    expect(c.counts.requests).toBe(3);
    expect(c.counts.bytes).toBe(16 + (108_001 - 100_000) + 64);
    // Small reads are kept: reading them again costs nothing.
    expect(await src.read(108_000, 1)).toEqual(FILE.slice(108_000, 108_001));
    expect(c.counts.requests).toBe(3);
    await src.close();
  });

  it('names file and URL (without its query) when a read fails', async () => {
    const c = client();
    try {
      await openHttpSource(
        c,
        'http://127.0.0.1:1/nothing.safetensors?token=abc',
        'nothing.safetensors',
      );
      expect.unreachable();
    } catch (e) {
      expect(isRemoteReadError(e) && e.failure).toBe('gave-up');
      expect(String(e)).toContain('nothing.safetensors');
      expect(String(e)).not.toContain('token=abc');
    }
  }, 30_000);
});

describe('tokenWhenRefused', () => {
  it('sends no token to a public file, and the token after a refusal', async () => {
    const env = runtimeHttpEnv();
    if (env === null) {
      throw new Error('no fetch');
    }
    const c = new HttpClient({ env, token: 't0k', tokenOrigin: base, tokenWhenRefused: true });
    seen.length = 0;
    const open = await openHttpSource(c, `${base}/public`, 'public', { probeBytes: 64 });
    expect(await open.read(0, 8)).toEqual(FILE.slice(0, 8));
    expect(seen.every((h) => h.authorization === undefined)).toBe(true);
    seen.length = 0;
    const gated = await openHttpSource(c, `${base}/gated`, 'gated', { probeBytes: 64 });
    expect(gated.size).toBe(FILE.length);
    expect(seen.map((h) => h.authorization ?? null)).toEqual([null, 'Bearer t0k']);
    // Requests refused concurrently, before any of them armed the token, each try again with it.
    const fresh = new HttpClient({ env, token: 't0k', tokenOrigin: base, tokenWhenRefused: true });
    const both = await Promise.all(
      [1, 2, 3].map((i) => openHttpSource(fresh, `${base}/gated`, `gated${i}`, { probeBytes: 64 })),
    );
    expect(both.map((b) => b.size)).toEqual([FILE.length, FILE.length, FILE.length]);
  });
});

describe('HostSlots', () => {
  it('lets at most N holders per host in, the rest in order', async () => {
    const slots = new HostSlots(2);
    const a = await slots.acquire('h');
    const b = await slots.acquire('h');
    const order: string[] = [];
    const c = slots.acquire('h').then((r) => (order.push('c'), r));
    const other = await slots.acquire('other');
    expect(slots.inUse('h')).toBe(2);
    a();
    a();
    (await c)();
    b();
    other();
    expect(order).toEqual(['c']);
    expect(slots.inUse('h')).toBe(0);
  });
});
