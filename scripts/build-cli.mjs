// Bundles cli/index.ts (and the core it uses) into one ES module that `bin/ckptscope.mjs` loads.
// Runs on `npm install` (the "prepare" script), so `npx ckptscope` works right after install.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
await build({
  entryPoints: ['cli/index.ts'],
  outfile: 'dist/cli/ckptscope.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  define: { CKPTSCOPE_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
