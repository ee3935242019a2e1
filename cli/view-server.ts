import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, relative, sep } from 'node:path';
import type { FileLocation } from './path-kind';

/** One file `view` serves: the name the page shows, and where it is on disk. */
export interface ViewFile {
  readonly name: string;
  readonly location: FileLocation;
}

/** What the page fetches first: the files to open, as same-origin URLs. */
export interface ViewListing {
  readonly files: readonly { readonly name: string; readonly url: string; readonly size: number }[];
}

export interface ViewServer {
  /** The page to open: `http://127.0.0.1:PORT/?view=TOKEN`. */
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

/** Random bytes of the token in the URL: other local users and pages cannot guess the files' URLs. */
const TOKEN_BYTES = 16;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.safetensors': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** Serves bytes [start, end) of a file, or all of it, with the headers a Range reader checks. */
async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  location: FileLocation,
): Promise<void> {
  let size: number;
  let etag: string;
  let modified: string;
  try {
    const s = await stat(location);
    if (!s.isFile()) {
      send(res, 404, 'not found');
      return;
    }
    size = s.size;
    etag = `"${s.size.toString(16)}-${Math.floor(s.mtimeMs).toString(16)}"`;
    modified = s.mtime.toUTCString();
  } catch {
    send(res, 404, 'not found');
    return;
  }
  const headers: Record<string, string> = {
    'accept-ranges': 'bytes',
    etag,
    'last-modified': modified,
    'cache-control': 'no-store',
    'content-type': 'application/octet-stream',
  };
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  const whole =
    range === null || (ifRange !== undefined && ifRange !== etag && ifRange !== modified);
  let start = 0;
  let end = size;
  if (!whole) {
    start = Number(range[1]);
    end = Math.min(size, range[2] === '' ? size : Number(range[2]) + 1);
    if (start >= size || end <= start) {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${size}` }).end();
      return;
    }
    headers['content-range'] = `bytes ${start}-${end - 1}/${size}`;
  }
  headers['content-length'] = String(end - start);
  res.writeHead(whole ? 200 : 206, headers);
  if (req.method === 'HEAD' || end === start) {
    res.end();
    return;
  }
  const body = createReadStream(location, { start, end: end - 1 });
  body.on('error', () => res.destroy());
  body.pipe(res);
}

/** Serves a file of the built app (never outside `appDir`); `/` is index.html. */
async function serveApp(
  req: IncomingMessage,
  res: ServerResponse,
  appDir: string,
  path: string,
): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    send(res, 400, 'bad path');
    return;
  }
  const wanted = normalize(join(appDir, decoded === '/' ? 'index.html' : decoded));
  const inside = relative(appDir, wanted);
  if (inside.startsWith('..') || inside.includes(`${sep}..`) || decoded.includes('\0')) {
    send(res, 404, 'not found');
    return;
  }
  try {
    const s = await stat(wanted);
    if (!s.isFile()) {
      send(res, 404, 'not found');
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(wanted)] ?? 'application/octet-stream',
      'content-length': String(s.size),
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(wanted).pipe(res);
  } catch {
    send(res, 404, 'not found');
  }
}

/**
 * Starts the `view` server on 127.0.0.1: the built app from `appDir`, and under a random token
 * exactly the given files, read-only with Range support (`/TOKEN/files.json` lists them, as
 * `/TOKEN/f/INDEX/NAME`). No directory listing, nothing else from the disk.
 */
export async function startViewServer(
  files: readonly ViewFile[],
  appDir: string,
  port = 0,
): Promise<ViewServer> {
  const token = randomBytes(TOKEN_BYTES).toString('hex');
  const prefix = `/${token}/`;
  const sizes = await Promise.all(files.map(async (f) => (await stat(f.location)).size));
  const listing: ViewListing = {
    files: files.map((f, i) => ({
      name: f.name,
      url: `${prefix}f/${i}/${encodeURIComponent(f.name.slice(f.name.lastIndexOf('/') + 1))}`,
      size: sizes[i],
    })),
  };
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'read-only');
      return;
    }
    const path = (req.url ?? '/').replace(/[?#].*$/, '');
    if (path === `${prefix}files.json`) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(listing));
      return;
    }
    if (path.startsWith(prefix)) {
      const m = /^f\/(\d+)\/[^/]*$/.exec(path.slice(prefix.length));
      const file = m === null ? undefined : files[Number(m[1])];
      if (file === undefined) {
        send(res, 404, 'not found');
        return;
      }
      void serveFile(req, res, file.location);
      return;
    }
    void serveApp(req, res, appDir, path);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/?view=${token}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
