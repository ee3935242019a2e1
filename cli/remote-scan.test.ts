import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJsonReport } from '../core/report/json-report';
import type { JsonReport } from '../core/report/json-report';
import { runtimeHttpEnv } from '../core/io/http-types';
import type { HttpEnv } from '../core/io/http-types';
import { runRemoteScan } from './remote-scan';
import type { RemoteScanOptions, RemoteScanRun } from './remote-scan';
import { runScan } from './scan-command';
import { startHubServer } from './testing/hub-server';
import type { Fault, HubServer, RepoFile } from './testing/hub-server';
import { FIXTURE_SHARDS, writeFixture, writeFp8BlockFixture } from './testing/remote-fixture';

const REPO = 'acme/tiny-nvfp4';
const TOKEN = 'hf_test_secret_token_123';
/** Fast retries so fault tests finish in seconds (the policy's shape is what is tested). */
const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 5000 };

let dir = '';
let names: string[] = [];
let server: HubServer;
let env: HttpEnv;
let local: JsonReport;

function runRemote(
  inputs: string[],
  extra: Partial<RemoteScanOptions> = {},
): Promise<RemoteScanRun> {
  return runRemoteScan(inputs, {
    env,
    endpoint: server.endpoint,
    token: null,
    full: false,
    showProgress: false,
    retry: FAST_RETRY,
    ...extra,
  });
}

function report(run: {
  files: RemoteScanRun['files'];
  errors: RemoteScanRun['errors'];
}): JsonReport {
  return buildJsonReport(run.files, run.errors, { version: 'test' });
}

/** Tensors by "shard/name" from a report, with the path reduced to the file name. */
function tensorsByName(r: JsonReport): Map<string, JsonReport['files'][number]['tensors'][number]> {
  const out = new Map<string, JsonReport['files'][number]['tensors'][number]>();
  for (const f of r.files) {
    const base = f.path.slice(f.path.lastIndexOf('/') + 1);
    for (const t of f.tensors) {
      out.set(`${base}/${t.name}`, t);
    }
  }
  return out;
}

beforeAll(async () => {
  const e = runtimeHttpEnv();
  if (e === null) {
    throw new Error('this Node has no fetch');
  }
  env = e;
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-remote-'));
  names = writeFixture(dir);
  const files: RepoFile[] = names.map((n) => ({ path: n, body: { diskPath: join(dir, n) } }));
  server = await startHubServer({
    repos: {
      [REPO]: files,
      'acme/gated': [
        { path: FIXTURE_SHARDS[1], body: { diskPath: join(dir, FIXTURE_SHARDS[1]) }, gated: true },
      ],
      'acme/deep': files.map((f) => ({ ...f, path: `sub/${f.path}` })),
      'acme/fp8-block': writeFp8BlockFixture(join(dir, 'fp8')).map((n) => ({
        path: n,
        body: { diskPath: join(dir, 'fp8', n) },
      })),
    },
    pageSize: 2,
    token: TOKEN,
  });
  const run = await runScan([dir], { showProgress: false, threads: 1 });
  local = report(run);
}, 60_000);

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('remote scan of a Hub repo (default mode)', () => {
  it('equals the local scan for every tensor read, within the byte and request budgets', async () => {
    server.requests.length = 0;
    const run = await runRemote([`hf://${REPO}`]);
    expect(run.errors.map((e) => e.message)).toEqual([]);
    expect(run.usageProblems).toEqual([]);
    const remote = tensorsByName(report(run));
    const expected = tensorsByName(local);
    expect([...remote.keys()].sort()).toEqual([...expected.keys()].sort());
    let read = 0;
    for (const [key, t] of remote) {
      if (t.scanned) {
        read++;
        expect(t, key).toEqual(expected.get(key));
      } else {
        // Only the bulk weights are left: nothing small and nothing scale-like.
        expect(t.nbytes, key).toBeGreaterThanOrEqual(1024 * 1024);
        expect(t.name.endsWith('.weight'), key).toBe(true);
      }
    }
    expect(read).toBeGreaterThan(40);
    expect(run.notScanned).toBe(2 * 7 + 2);
    // The verdict's evidence: the NaN block-scale byte and the NaN norm are both found.
    expect(run.findings.some((f) => f.rule === 'nan-scale')).toBe(true);
    expect(expected.get(`${FIXTURE_SHARDS[1]}/model.norm.weight`)?.nan).toBe(1);
    expect(remote.get(`${FIXTURE_SHARDS[1]}/model.norm.weight`)?.nan).toBe(1);
    // Budgets (issue 14): NVFP4 verdict <= 15 % of the shards' bytes, <= 4 requests per shard
    // plus the listing (pages) and one request (and its redirect) per small file.
    const shardBytes = FIXTURE_SHARDS.reduce((n, s) => n + statSync(join(dir, s)).size, 0);
    const listing = server.requests.filter((r) => r.url.startsWith('/api/')).length;
    const smallFiles = names.length - FIXTURE_SHARDS.length;
    expect(listing).toBe(1 + 3); // main's commit sha, then 5 files at 2 per page
    expect(run.network.bytes / shardBytes).toBeLessThanOrEqual(0.15);
    expect(run.network.requests).toBeLessThanOrEqual(
      4 * FIXTURE_SHARDS.length + listing + 2 * smallFiles,
    );
    expect(run.network.requests).toBe(server.requests.length);
    console.log(
      `remote default scan: ${run.network.requests} requests, ${run.network.bytes} of ${shardBytes} shard bytes (${((100 * run.network.bytes) / shardBytes).toFixed(1)} %)`,
    );
  });

  it('reads at most 2 % of an FP8-block checkpoint, equal to the local scan', async () => {
    server.requests.length = 0;
    const run = await runRemote(['hf://acme/fp8-block']);
    expect(run.errors).toEqual([]);
    const size = statSync(join(dir, 'fp8', 'model.safetensors')).size;
    const localFp8 = tensorsByName(
      report(await runScan([join(dir, 'fp8')], { showProgress: false, threads: 1 })),
    );
    let read = 0;
    for (const [key, t] of tensorsByName(report(run))) {
      if (t.scanned) {
        read++;
        expect(t, key).toEqual(localFp8.get(key));
      }
    }
    expect(read).toBe(8 + 3);
    expect(run.network.bytes / size).toBeLessThanOrEqual(0.02);
    const listing = server.requests.filter((r) => r.url.startsWith('/api/')).length;
    // One shard (<= 4 requests) and config.json (a request and its redirect).
    expect(run.network.requests).toBeLessThanOrEqual(4 + listing + 2);
    console.log(
      `remote FP8-block scan: ${run.network.requests} requests, ${run.network.bytes} of ${size} bytes (${((100 * run.network.bytes) / size).toFixed(2)} %)`,
    );
  });

  it('reads every tensor with full, equal to the local scan', async () => {
    const run = await runRemote([`hf://${REPO}`], { full: true });
    expect(run.errors).toEqual([]);
    expect(run.notScanned).toBe(0);
    const remote = tensorsByName(report(run));
    for (const [key, t] of tensorsByName(local)) {
      expect(remote.get(key), key).toEqual(t);
    }
    expect(run.findings.map((f) => f.rule).sort()).toEqual(
      (await runScan([dir], { showProgress: false, threads: 1 })).findings
        .map((f) => f.rule)
        .sort(),
    );
  });

  it('accepts Hub URLs of a repo, a folder and one file', async () => {
    const tree = await runRemote([`${server.endpoint}/acme/deep/tree/main/sub`]);
    expect(tree.errors).toEqual([]);
    expect(tree.files.map((f) => f.path)).toEqual(FIXTURE_SHARDS.map((s) => `acme/deep/sub/${s}`));
    const blob = await runRemote([`${server.endpoint}/${REPO}/blob/main/${FIXTURE_SHARDS[0]}`]);
    expect(blob.errors).toEqual([]);
    expect(blob.files.map((f) => f.path)).toEqual([`${REPO}/${FIXTURE_SHARDS[0]}`]);
    const missing = await runRemote([`hf://${REPO}/nope`]);
    expect(missing.usageProblems[0]).toContain('nope: no such file or folder');
  });
});

describe('remote scan faults', () => {
  const shard = FIXTURE_SHARDS[0];
  const run1 = (): Promise<RemoteScanRun> => runRemote([`hf://${REPO}/${shard}`]);
  const expectedShard = (): Map<string, unknown> => {
    const all = tensorsByName(local);
    return new Map([...all].filter(([k]) => k.startsWith(`${shard}/`)));
  };
  const expectSame = (run: RemoteScanRun): void => {
    expect(run.errors.map((e) => e.message)).toEqual([]);
    const want = expectedShard();
    for (const [key, t] of tensorsByName(report(run))) {
      if (t.scanned) {
        expect(t, key).toEqual(want.get(key));
      }
    }
  };
  const withFaults = async (faults: Fault[], body: () => Promise<void>): Promise<void> => {
    server.setFaults(faults);
    try {
      await body();
    } finally {
      server.setFaults([]);
    }
  };

  it('retries 429 (after Retry-After), 500 and a connection reset mid-body, with the same answer', async () => {
    await withFaults(
      [
        { kind: '429', path: shard, times: 1, seconds: 1 },
        { kind: '500', path: shard, times: 1 },
        { kind: 'reset', path: shard, times: 2, afterBytes: 100_000 },
      ],
      async () => {
        const started = Date.now();
        const run = await run1();
        expectSame(run);
        // Retry-After: 1 was honoured (a bound on behaviour, not a timing assertion of speed).
        expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      },
    );
  });

  it('gives up on persistent 500s with a typed error naming file and URL, never the signature', async () => {
    await withFaults([{ kind: '500', path: shard, times: 100 }], async () => {
      const run = await run1();
      expect(run.errors).toHaveLength(1);
      const e = run.errors[0];
      expect(e.file).toBe(`${REPO}/${shard}`);
      expect(e.message).toContain('gave up after 3 attempts');
      expect(e.message).toContain('HTTP 500');
      // Read at the commit main was pinned to.
      expect(e.message).toContain(`${REPO}/resolve/${server.head(REPO)}/${shard}`);
      expect(e.message).not.toContain('secret-signature');
    });
  });

  it('refuses a 200 full body to a Range request', async () => {
    await withFaults([{ kind: 'full-body', path: shard }], async () => {
      const run = await run1();
      expect(run.errors.map((e) => e.message).join('\n')).toMatch(/HTTP 200 instead of 206/);
      expect(run.files).toEqual([]);
    });
  });

  it('refuses a wrong Content-Range', async () => {
    await withFaults([{ kind: 'wrong-range', path: shard }], async () => {
      const run = await run1();
      expect(run.errors.map((e) => e.message).join('\n')).toMatch(
        /asked for bytes 0-524287, got bytes 1-524288/,
      );
    });
  });

  it('fails a file whose ETag changes mid-scan, naming it, and keeps only what was read before', async () => {
    await withFaults([{ kind: 'etag-change', path: shard, afterRequests: 1 }], async () => {
      const run = await run1();
      // The scan and each module analysis that needed more bytes fail the same way.
      expect(run.errors.length).toBeGreaterThan(0);
      for (const e of run.errors) {
        expect(e.file).toBe(`${REPO}/${shard}`);
        expect(e.message).toContain('changed on the server during the scan');
      }
      // What was read before the change (the probe: header and F32 scales) is from one version.
      const want = expectedShard();
      for (const [key, t] of tensorsByName(report(run))) {
        if (t.scanned) {
          expect(t, key).toEqual(want.get(key));
        }
      }
    });
  });

  it('gives up on a stalled body within the bound (never hangs)', async () => {
    await withFaults([{ kind: 'stall', path: shard }], async () => {
      const run = await runRemote([`hf://${REPO}/${shard}`], { stallTimeoutMs: 200 });
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0].message).toMatch(/stalled for 200 ms/);
    });
  });

  it('sends the token only to the endpoint, and a gated file needs it', async () => {
    const without = await runRemote(['hf://acme/gated']);
    expect(without.errors).toHaveLength(1);
    expect(without.errors[0].message).toMatch(
      /HTTP 401 GatedRepo: a gated or private file needs a token/,
    );
    server.requests.length = 0;
    const withToken = await runRemote(['hf://acme/gated'], { token: TOKEN });
    expect(withToken.errors).toEqual([]);
    expect(withToken.files).toHaveLength(1);
    const storage = server.requests.filter((r) => r.origin === 'storage');
    expect(storage.length).toBeGreaterThan(0);
    expect(storage.every((r) => r.authorization === null)).toBe(true);
    expect(
      server.requests
        .filter((r) => r.origin === 'hub')
        .every((r) => r.authorization === `Bearer ${TOKEN}`),
    ).toBe(true);
    expect(JSON.stringify(report(withToken))).not.toContain(TOKEN);
  });
});
