/**
 * Serves the remote fixture (remote-fixture.ts) from the Hub-like test server until killed, for
 * hand checks, the e2e tests and the bench: `npx tsx cli/testing/serve-hub-fixture.ts [DIR]`
 * prints one JSON line `{"endpoint": …, "storage": …, "repo": …, "token": …}` when ready. The repo
 * `acme/tiny-nvfp4` is public, `acme/gated` needs the token. HUB_PORT fixes the hub's port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubServer } from './hub-server';
import { FIXTURE_SHARDS, writeFixture } from './remote-fixture';

export const FIXTURE_REPO = 'acme/tiny-nvfp4';
export const FIXTURE_TOKEN = 'hf_fixture_token_for_tests';

const given = process.argv[2];
const dir = given ?? mkdtempSync(join(tmpdir(), 'ckptscope-hub-'));
const names = writeFixture(dir);
const server = await startHubServer({
  repos: {
    [FIXTURE_REPO]: names.map((n) => ({ path: n, body: { diskPath: join(dir, n) } })),
    'acme/gated': names.map((n) => ({ path: n, body: { diskPath: join(dir, n) }, gated: true })),
  },
  token: FIXTURE_TOKEN,
  hubPort: process.env.HUB_PORT === undefined ? 0 : Number(process.env.HUB_PORT),
});
process.stdout.write(
  `${JSON.stringify({ endpoint: server.endpoint, storage: server.storageOrigin, repo: FIXTURE_REPO, token: FIXTURE_TOKEN, dir, shards: FIXTURE_SHARDS })}\n`,
);
if (process.env.HUB_LOG !== undefined) {
  // Every request on stderr (origin, range, path without the signed query), for hand checks.
  setInterval(() => {
    for (const r of server.requests.splice(0)) {
      process.stderr.write(`${r.origin} ${r.range ?? '-'} ${r.url.replace(/\?.*$/, '')}\n`);
    }
  }, 200);
}
const stop = (): void => {
  void server.close().then(() => {
    if (given === undefined) {
      rmSync(dir, { recursive: true, force: true });
    }
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
