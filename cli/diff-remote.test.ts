import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bf16Model, quantizedModel } from '../core/diff/testing/diff-fixtures';
import type { DiffReport } from '../core/diff/diff-types';
import type { QuantFixture } from '../core/quant/testing/fixture-kit';
import { startHubServer } from './testing/hub-server';
import type { HubServer, RepoFile } from './testing/hub-server';
import { cli } from './testing/run-cli';

let dir = '';
let server: HubServer;
const saved = process.env.HF_ENDPOINT;

function write(fixture: QuantFixture, name: string): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  for (const f of fixture.files) {
    writeFileSync(join(folder, f.name), f.bytes);
  }
  return folder;
}

function repo(fixture: QuantFixture): RepoFile[] {
  return fixture.files.map((f) => ({ path: f.name, body: { bytes: f.bytes } }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-diff-remote-'));
  write(bf16Model(), 'bf16');
  write(quantizedModel('gptq'), 'gptq');
  server = await startHubServer({
    repos: { 'acme/bf16': repo(bf16Model()), 'acme/gptq': repo(quantizedModel('gptq')) },
  });
  // The CLI child inherits the environment: its Hub is the test server on 127.0.0.1.
  process.env.HF_ENDPOINT = server.endpoint;
}, 60_000);

afterAll(async () => {
  if (saved === undefined) {
    delete process.env.HF_ENDPOINT;
  } else {
    process.env.HF_ENDPOINT = saved;
  }
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function parse(stdout: string): DiffReport {
  return JSON.parse(stdout) as DiffReport;
}

describe('ckptscope diff with remote inputs', () => {
  it('a local folder against the same checkpoint on the Hub: every tensor identical', async () => {
    const r = await cli('diff', join(dir, 'bf16'), 'hf://acme/bf16', '--json');
    expect(r.code).toBe(0);
    const report = parse(r.stdout);
    expect(report.errors).toEqual([]);
    expect(report.pairs).toHaveLength(17);
    expect(report.pairs.every((p) => p.identical === true)).toBe(true);
  });

  it('a remote export gives the figures of the same export on disk', async () => {
    const local = parse((await cli('diff', join(dir, 'bf16'), join(dir, 'gptq'), '--json')).stdout);
    const remote = parse((await cli('diff', join(dir, 'bf16'), 'hf://acme/gptq', '--json')).stdout);
    expect(remote.b.scheme).toBe('gptq');
    const byName = new Map(local.pairs.map((p) => [p.name, p]));
    expect(remote.pairs).toHaveLength(local.pairs.length);
    for (const p of remote.pairs) {
      const q = byName.get(p.name);
      expect(p.sqnrDb, p.name).toBe(q?.sqnrDb);
      expect(p.identical, p.name).toBe(q?.identical);
    }
  });
});
