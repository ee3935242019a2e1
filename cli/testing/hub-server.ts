/**
 * A Hub-like pair of servers on 127.0.0.1 for tests and the bench (no internet here): the "hub"
 * origin answers the tree API (paginated with `Link`) and `/{repo}/resolve/{rev}/{path}` with a
 * 302 to the "storage" origin (another port), which serves single byte ranges with ETags and CORS
 * headers, like the Hub's CDN. Faults are scripted per file path. Every request is logged.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** A served file's bytes: in memory, or a file on disk (multi-GB bench checkpoints). */
export type FileBody = { readonly bytes: Uint8Array } | { readonly diskPath: string };

export interface RepoFile {
  readonly path: string;
  readonly body: FileBody;
  /** Resolve needs `Authorization: Bearer <token>` (401 GatedRepo otherwise). */
  readonly gated?: boolean;
}

/** Scripted misbehaviour of the storage origin for one file. */
export type Fault =
  /** The next `times` range requests answer 429 with `Retry-After: seconds`. */
  | {
      readonly kind: '429';
      readonly path: string;
      readonly times: number;
      readonly seconds: number;
    }
  /** The next `times` range requests answer 500. */
  | { readonly kind: '500'; readonly path: string; readonly times: number }
  /** The next `times` range responses send `afterBytes` of the body, then reset the connection. */
  | {
      readonly kind: 'reset';
      readonly path: string;
      readonly times: number;
      readonly afterBytes: number;
    }
  /** Every range request answers 200 with the whole file. */
  | { readonly kind: 'full-body'; readonly path: string }
  /** Every range response claims a Content-Range one byte later than asked. */
  | { readonly kind: 'wrong-range'; readonly path: string }
  /** After `afterRequests` range requests, the file gets a new ETag (a new upload). */
  | { readonly kind: 'etag-change'; readonly path: string; readonly afterRequests: number }
  /** Every range request is answered with headers, then nothing (a stalled body). */
  | { readonly kind: 'stall'; readonly path: string };

export interface LoggedRequest {
  readonly origin: 'hub' | 'storage';
  readonly url: string;
  readonly range: string | null;
  readonly authorization: string | null;
}

export interface HubServerOptions {
  /** Repo id → files (the first commit of `main`; `push` adds commits). */
  readonly repos: Readonly<Record<string, readonly RepoFile[]>>;
  /** Tree entries per listing page (the Hub's is 1,000; small here to exercise pagination). */
  readonly pageSize?: number;
  readonly token?: string;
  readonly faults?: readonly Fault[];
  /** The hub origin's port (0: any free port). */
  readonly hubPort?: number;
  /** Called with every logged request before it is answered (a test can `push` mid-scan). */
  readonly onRequest?: (request: LoggedRequest) => void;
}

export interface HubServer {
  /** `http://127.0.0.1:PORT` of the hub origin: what HF_ENDPOINT is set to. */
  readonly endpoint: string;
  readonly storageOrigin: string;
  readonly requests: LoggedRequest[];
  /** Replaces the scripted faults (counters start again). */
  setFaults(faults: readonly Fault[]): void;
  /**
   * A new commit of `repo` holding `files` (a push): `main` moves to it, earlier commits stay
   * readable by their sha. Returns the new commit's sha.
   */
  push(repo: string, files: readonly RepoFile[]): string;
  /** The sha `main` of `repo` points to. */
  head(repo: string): string;
  close(): Promise<void>;
}

interface Served {
  readonly file: RepoFile;
  readonly size: number;
  storageRequests: number;
}

/** One commit of a repo: its sha and its files by path. */
interface Commit {
  readonly sha: string;
  readonly files: readonly RepoFile[];
}

/** The hub origin answers the request log (LoggedRequest[] as JSON) here. */
export const REQUEST_LOG_PATH = '/_test/requests';

/** The branch every repo has; any other revision must be a commit sha. */
const MAIN = 'main';

const CORS_EXPOSED =
  'Accept-Ranges, Content-Range, Content-Length, ETag, Last-Modified, Link, X-Error-Code, X-Error-Message, X-Linked-Size, X-Linked-ETag, X-Repo-Commit';

function sizeOf(body: FileBody): number {
  return 'bytes' in body ? body.bytes.length : statSync(body.diskPath).size;
}

function streamOf(body: FileBody, start: number, end: number): Readable {
  if ('bytes' in body) {
    return Readable.from([
      Buffer.from(body.bytes.buffer, body.bytes.byteOffset + start, end - start),
    ]);
  }
  return createReadStream(body.diskPath, { start, end: end - 1, highWaterMark: 1024 * 1024 });
}

function cors(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-expose-headers', CORS_EXPOSED);
  res.setHeader('access-control-allow-headers', 'authorization, range, if-range, accept');
  res.setHeader('access-control-max-age', '86400');
}

function listen(server: Server, port = 0): Promise<string> {
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const pageSize = options.pageSize ?? 1000;
  const requests: LoggedRequest[] = [];
  let faults: Fault[] = [...(options.faults ?? [])];
  const used = new Map<Fault, number>();
  /** `repo/sha/path` → the file of that commit (what a storage URL names). */
  const files = new Map<string, Served>();
  const commits = new Map<string, Commit[]>();
  const push = (repo: string, list: readonly RepoFile[]): string => {
    const history = commits.get(repo) ?? [];
    const sha = createHash('sha1').update(`${repo}#${history.length}`).digest('hex');
    history.push({ sha, files: list });
    commits.set(repo, history);
    for (const file of list) {
      files.set(`${repo}/${sha}/${file.path}`, {
        file,
        size: sizeOf(file.body),
        storageRequests: 0,
      });
    }
    return sha;
  };
  for (const [repo, list] of Object.entries(options.repos)) {
    push(repo, list);
  }
  /** The commit `revision` names (`main`: the latest), or undefined. */
  const commitOf = (repo: string, revision: string): Commit | undefined => {
    const history = commits.get(repo) ?? [];
    return revision === MAIN ? history.at(-1) : history.find((c) => c.sha === revision);
  };
  const faultFor = (path: string, kind: Fault['kind']): Fault | undefined =>
    faults.find((f) => f.path === path && f.kind === kind);
  /** Consumes one use of a counted fault; true while it still applies. */
  const spend = (f: Fault | undefined, times: number): boolean => {
    if (f === undefined) {
      return false;
    }
    const n = used.get(f) ?? 0;
    if (n >= times) {
      return false;
    }
    used.set(f, n + 1);
    return true;
  };

  const log = (origin: 'hub' | 'storage', req: IncomingMessage): void => {
    const logged: LoggedRequest = {
      origin,
      url: req.url ?? '',
      range: req.headers.range ?? null,
      authorization: req.headers.authorization ?? null,
    };
    requests.push(logged);
    options.onRequest?.(logged);
  };

  let storageOrigin = '';
  const hub = createServer((req, res) => {
    cors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (req.url === REQUEST_LOG_PATH) {
      // The log so far, for a test in another process (e2e); not itself logged.
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(requests));
      return;
    }
    log('hub', req);
    const url = new URL(req.url ?? '/', 'http://hub');
    const revisionApi = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (revisionApi !== null) {
      const repo = decodeURIComponent(revisionApi[1]);
      const commit = commitOf(repo, decodeURIComponent(revisionApi[2]));
      if (commit === undefined) {
        res.writeHead(404, { 'x-error-code': 'RevisionNotFound' }).end('{"error":"not found"}');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: repo, sha: commit.sha, siblings: [] }));
      return;
    }
    const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(url.pathname);
    if (tree !== null) {
      const repo = decodeURIComponent(tree[1]);
      const list = commitOf(repo, decodeURIComponent(tree[2]))?.files;
      if (list === undefined) {
        res.writeHead(404, { 'x-error-code': 'RepoNotFound' }).end('{"error":"not found"}');
        return;
      }
      const entries = list.map((f) => ({
        type: 'file',
        path: f.path,
        size: sizeOf(f.body),
        oid: 'x',
      }));
      const folders = new Set(
        list.flatMap((f) => (f.path.includes('/') ? [f.path.split('/')[0]] : [])),
      );
      const all = [
        ...[...folders].map((p) => ({ type: 'directory', path: p, size: 0, oid: 'd' })),
        ...entries,
      ];
      const cursor = Number(url.searchParams.get('cursor') ?? '0');
      const page = all.slice(cursor, cursor + pageSize);
      if (cursor + pageSize < all.length) {
        const next = `${url.pathname}?recursive=true&cursor=${cursor + pageSize}`;
        res.setHeader('link', `<${next}>; rel="next"`);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
      return;
    }
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const repo = resolve === null ? '' : decodeURIComponent(resolve[1]);
    const path = resolve === null ? '' : resolve[3].split('/').map(decodeURIComponent).join('/');
    const commit = resolve === null ? undefined : commitOf(repo, decodeURIComponent(resolve[2]));
    const served = commit === undefined ? undefined : files.get(`${repo}/${commit.sha}/${path}`);
    if (resolve === null || commit === undefined || served === undefined) {
      res.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end('not found');
      return;
    }
    if (
      served.file.gated === true &&
      req.headers.authorization !== `Bearer ${options.token ?? ''}`
    ) {
      res.writeHead(401, { 'x-error-code': 'GatedRepo' }).end('gated');
      return;
    }
    const location = `${storageOrigin}/blobs/${encodeURIComponent(repo)}/${commit.sha}/${resolve[3]}?X-Amz-Signature=secret-signature`;
    res
      .writeHead(302, {
        location,
        'x-linked-size': String(served.size),
        'x-repo-commit': commit.sha,
      })
      .end();
  });

  const storage = createServer((req, res) => {
    cors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    log('storage', req);
    const url = new URL(req.url ?? '/', 'http://storage');
    const m = /^\/blobs\/([^/]+)\/([0-9a-f]{40})\/(.+)$/.exec(url.pathname);
    const key =
      m === null
        ? ''
        : `${decodeURIComponent(m[1])}/${m[2]}/${m[3].split('/').map(decodeURIComponent).join('/')}`;
    const served = files.get(key);
    if (served === undefined || url.searchParams.get('X-Amz-Signature') !== 'secret-signature') {
      res.writeHead(403).end('bad signature');
      return;
    }
    const path = served.file.path;
    served.storageRequests++;
    const change = faultFor(path, 'etag-change');
    const version =
      change?.kind === 'etag-change' && served.storageRequests > change.afterRequests ? 2 : 1;
    const etag = `"${key.replace(/[^A-Za-z0-9]/g, '')}-v${version}"`;
    res.setHeader('etag', etag);
    res.setHeader('accept-ranges', 'bytes');
    const f429 = faultFor(path, '429');
    if (f429?.kind === '429' && spend(f429, f429.times)) {
      res.writeHead(429, { 'retry-after': String(f429.seconds) }).end('slow down');
      return;
    }
    const f500 = faultFor(path, '500');
    if (f500?.kind === '500' && spend(f500, f500.times)) {
      res.writeHead(500).end('oops');
      return;
    }
    const size = served.size;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    if (
      range === null ||
      faultFor(path, 'full-body') !== undefined ||
      (ifRange !== undefined && ifRange !== etag)
    ) {
      res.writeHead(200, { 'content-length': String(size) });
      streamOf(served.file.body, 0, size).pipe(res);
      return;
    }
    const start = Number(range[1]);
    const end = Math.min(size, range[2] === '' ? size : Number(range[2]) + 1);
    if (start >= size || end <= start) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    const shift = faultFor(path, 'wrong-range') === undefined ? 0 : 1;
    res.writeHead(206, {
      'content-range': `bytes ${start + shift}-${end - 1 + shift}/${size}`,
      'content-length': String(end - start),
    });
    if (faultFor(path, 'stall') !== undefined) {
      res.flushHeaders();
      return;
    }
    const reset = faultFor(path, 'reset');
    if (reset?.kind === 'reset' && spend(reset, reset.times)) {
      const cut = Math.min(end - start - 1, reset.afterBytes);
      const body = streamOf(served.file.body, start, start + cut);
      body.on('end', () => setTimeout(() => res.socket?.destroy(), 10));
      body.pipe(res, { end: false });
      return;
    }
    streamOf(served.file.body, start, end).pipe(res);
  });

  const endpoint = await listen(hub, options.hubPort);
  storageOrigin = await listen(storage);
  return {
    endpoint,
    storageOrigin,
    requests,
    setFaults(next) {
      faults = [...next];
      used.clear();
      for (const served of files.values()) {
        served.storageRequests = 0;
      }
    },
    push,
    head: (repo) => commitOf(repo, MAIN)?.sha ?? '',
    close: async () => {
      hub.closeAllConnections();
      storage.closeAllConnections();
      await Promise.all(
        [hub, storage].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
      );
    },
  };
}
