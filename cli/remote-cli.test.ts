import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './testing/run-cli';
import { startHubServer } from './testing/hub-server';
import type { HubServer } from './testing/hub-server';
import { writeFixture } from './testing/remote-fixture';

/** The installed command (`npm run build:cli`) against the Hub-like server, through HF_ENDPOINT. */
const TOKEN = 'hf_cli_test_token_456';
let dir = '';
let server: HubServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-remote-cli-'));
  const names = writeFixture(dir);
  const files = names.map((n) => ({ path: n, body: { diskPath: join(dir, n) } }));
  server = await startHubServer({
    repos: { 'acme/tiny-nvfp4': files, 'acme/gated': files.map((f) => ({ ...f, gated: true })) },
    token: TOKEN,
  });
  process.env.HF_ENDPOINT = server.endpoint;
});

afterAll(async () => {
  delete process.env.HF_ENDPOINT;
  delete process.env.HF_TOKEN;
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ckptscope scan with remote inputs', () => {
  it('prints --json with the network field, unread tensors as not scanned, exit 1 for the NaN scale', async () => {
    const r = await cli('scan', 'hf://acme/tiny-nvfp4', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      network: { requests: number; bytes: number };
      complete: boolean;
      files: { tensors: { scanned: boolean }[] }[];
      errors: unknown[];
    };
    expect(report.errors).toEqual([]);
    expect(report.complete).toBe(false);
    expect(report.network.requests).toBe(server.requests.length);
    expect(report.network.bytes).toBeGreaterThan(0);
    const tensors = report.files.flatMap((f) => f.tensors);
    expect(tensors.filter((t) => !t.scanned)).toHaveLength(16);
  });

  it('says in the verdict how many tensors the default mode left unread, not that reads failed', async () => {
    const r = await cli('scan', 'hf://acme/tiny-nvfp4', '--no-progress');
    expect(r.code).toBe(1);
    const verdict = r.stdout.split('\n').find((l) => l.startsWith('Verdict: ')) ?? '';
    expect(verdict).toContain(
      '16 tensors not read (default remote mode: headers, scales and small tensors; --full reads everything)',
    );
    expect(verdict).toContain('NaN');
    expect(verdict).not.toContain('unreadable');
    const full = await cli('scan', 'hf://acme/tiny-nvfp4', '--no-progress', '--full');
    expect(full.stdout).not.toContain('not read (default remote mode');
  });

  it('reports network zero for local inputs', async () => {
    const r = await cli('scan', dir, '--json');
    expect((JSON.parse(r.stdout) as { network: unknown }).network).toEqual({
      requests: 0,
      bytes: 0,
    });
  });

  it('reads a gated repo with HF_TOKEN or --token and never prints the token', async () => {
    const without = await cli('scan', 'hf://acme/gated', '--no-progress');
    expect(without.code).toBe(2);
    expect(without.stdout).toContain('GatedRepo');
    const withFlag = await cli('scan', 'hf://acme/gated', '--token', TOKEN, '--no-progress');
    expect(withFlag.code).toBe(1);
    expect(withFlag.stdout).toContain('Network: ');
    expect(withFlag.stdout + withFlag.stderr).not.toContain(TOKEN);
    process.env.HF_TOKEN = TOKEN;
    const withEnv = await cli('scan', 'hf://acme/gated', '--json');
    delete process.env.HF_TOKEN;
    expect(withEnv.code).toBe(1);
    expect(withEnv.stdout).not.toContain(TOKEN);
  });

  it('names a bad hf:// input as a usage problem (exit 2)', async () => {
    const r = await cli('scan', 'hf://just-one-part');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a Hub input');
  });
});
