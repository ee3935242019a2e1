#!/usr/bin/env node
// The `ckptscope` command. The CLI is bundled to dist/ by `npm install` (the "prepare" script).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/ckptscope.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    'ckptscope: the CLI is not built yet; run `npm install` (or `npm run build:cli`) first\n',
  );
  process.exit(2);
}
await import(bundle.href);
