import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJsonReport } from '../core/report/json-report';
import { runtimeHttpEnv } from '../core/io/http-types';
import { runRemoteScan } from './remote-scan';
import { runScan } from './scan-command';
import { startHubServer } from './testing/hub-server';
import type { HubServer, RepoFile } from './testing/hub-server';
import { FIXTURE_SHARDS, writeFixture } from './testing/remote-fixture';

const REPO = 'acme/pushed';
let dir = '';
let v1: RepoFile[] = [];
let v2: RepoFile[] = [];
let server: HubServer;
/** Set by a test: the push to make when the first file is resolved. */
let pushOnResolve: (() => void) | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-pin-'));
  const names = writeFixture(dir);
  v1 = names.map((n) => ({ path: n, body: { bytes: new Uint8Array(readFileSync(join(dir, n))) } }));
  // The next upload: the same names, the two shards' contents swapped (other sizes, other
  // tensors): any read of it against the first version's listing and index is wrong.
  const [a, b] = FIXTURE_SHARDS;
  v2 = v1.map((f) => {
    const other = f.path === a ? b : f.path === b ? a : f.path;
    return { path: f.path, body: { bytes: new Uint8Array(readFileSync(join(dir, other))) } };
  });
  server = await startHubServer({
    repos: { [REPO]: v1 },
    pageSize: 2,
    onRequest: (r) => {
      if (pushOnResolve !== null && r.url.includes('/resolve/')) {
        const push = pushOnResolve;
        pushOnResolve = null;
        push();
      }
    },
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('remote scan revision pinning', () => {
  it('reads the commit main pointed to when the scan began, through a push mid-scan', async () => {
    const env = runtimeHttpEnv();
    if (env === null) {
      throw new Error('this Node has no fetch');
    }
    const first = server.head(REPO);
    let second = '';
    pushOnResolve = () => {
      second = server.push(REPO, v2);
    };
    server.requests.length = 0;
    const run = await runRemoteScan([`hf://${REPO}`], {
      env,
      endpoint: server.endpoint,
      token: null,
      full: true,
      showProgress: false,
    });
    // The push happened during the scan, after the listing.
    expect(second).not.toBe('');
    expect(second).not.toBe(first);
    expect(server.head(REPO)).toBe(second);
    expect(run.errors.map((e) => e.message)).toEqual([]);
    // Every listing page and file was read at the first commit's sha, none at `main`.
    const hub = server.requests.filter((r) => r.origin === 'hub');
    expect(hub[0].url).toBe(`/api/models/${REPO}/revision/main`);
    const later = hub.slice(1);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((r) => r.url.includes(`/${first}`))).toBe(true);
    // The result is the first version's, tensor for tensor (its local scan).
    const local = await runScan([dir], { showProgress: false, threads: 1 });
    const strip = (r: ReturnType<typeof buildJsonReport>) =>
      r.files.map((f) => ({
        file: f.path.slice(f.path.lastIndexOf('/') + 1),
        tensors: f.tensors,
      }));
    const remote = strip(buildJsonReport(run.files, run.errors, { version: 'test' }));
    const expected = strip(buildJsonReport(local.files, local.errors, { version: 'test' }));
    expect(remote).toEqual(expected);
  });
});
