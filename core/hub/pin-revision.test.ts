import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../io/http-client';
import { isRemoteReadError } from '../io/http-errors';
import { runtimeHttpEnv } from '../io/http-types';
import { pinRevision, revisionInfoUrl } from './pin-revision';

const SHA = '0123456789abcdef0123456789abcdef01234567';
/** Revision API answers by path; everything else is a 404. */
const ANSWERS: Record<string, string> = {
  '/api/models/org/name/revision/main': JSON.stringify({ id: 'org/name', sha: SHA }),
  '/api/models/org/name/revision/refs%2Fpr%2F1': JSON.stringify({ sha: SHA }),
  '/api/models/org/name/revision/nosha': JSON.stringify({ id: 'org/name' }),
  '/api/models/org/name/revision/short': JSON.stringify({ sha: 'abc123' }),
  '/api/models/org/name/revision/html': '<html>',
};
let server: Server;
let base = '';
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const body = ANSWERS[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404, { 'x-error-code': 'RevisionNotFound' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
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
    retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10, maxRetryAfterMs: 10 },
  });
}

async function failure(revision: string): Promise<string> {
  try {
    await pinRevision(client(), base, 'org/name', revision);
  } catch (e) {
    expect(isRemoteReadError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error(`${revision} was pinned`);
}

describe('pinRevision', () => {
  it('builds the revision API URL with the revision as one segment', () => {
    expect(revisionInfoUrl('https://huggingface.co/', 'org/name', 'refs/pr/1')).toBe(
      'https://huggingface.co/api/models/org/name/revision/refs%2Fpr%2F1',
    );
  });

  it('pins a branch or a ref to the sha the Hub reports', async () => {
    expect(await pinRevision(client(), base, 'org/name', 'main')).toBe(SHA);
    expect(await pinRevision(client(), base, 'org/name', 'refs/pr/1')).toBe(SHA);
  });

  it('keeps a full sha without a request', async () => {
    seen.length = 0;
    const c = client();
    expect(await pinRevision(c, base, 'org/name', SHA)).toBe(SHA);
    expect(seen).toEqual([]);
    expect(c.counts.requests).toBe(0);
  });

  it('refuses an answer without a commit sha, naming the repo and revision', async () => {
    expect(await failure('nosha')).toMatch(/org\/name@nosha.*no commit sha/);
    expect(await failure('short')).toMatch(/no commit sha/);
    expect(await failure('html')).toMatch(/not JSON/);
    expect(await failure('gone')).toMatch(/org\/name@gone/);
  });
});
