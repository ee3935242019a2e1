// Bundles cli/index.ts (and the core it uses) into one ES module that `bin/ckptscope.mjs` loads,
// and cli/scan-thread.ts into the entry of its scan worker threads, beside it
// (dist/cli/scan-thread.mjs; the CLI scans in-process when it is missing), and cli/diff-thread.ts
// into the entry of `diff --threads` threads (dist/cli/diff-thread.mjs).
// Runs on `npm install` (the "prepare" script), so `npx ckptscope` works right after install.
// CKPTSCOPE_CLI_OUT=DIR bundles into DIR instead (run it as `node DIR/ckptscope.mjs`): a second
// build to compare against, or one per person on a shared checkout.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
await build({
  entryPoints: {
    ckptscope: 'cli/index.ts',
    'scan-thread': 'cli/scan-thread.ts',
    'diff-thread': 'cli/diff-thread.ts',
  },
  outdir: process.env.CKPTSCOPE_CLI_OUT ?? 'dist/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  define: { CKPTSCOPE_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
