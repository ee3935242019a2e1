/**
 * Writes every generated quantization fixture (core/quant/testing/make-quant-fixtures.ts) to
 * OUT_DIR/<fixture>/, for trying the CLI or the app by hand:
 *
 *   npx tsx scripts/make-quant-fixtures.ts /tmp/quant-fixtures
 *   npx ckptscope scan /tmp/quant-fixtures/nvfp4-faults
 *
 * Nothing is written into the repository unless OUT_DIR points there; the tests generate the same
 * bytes in memory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allQuantFixtures } from '../core/quant/testing/make-quant-fixtures';

const out = process.argv[2];
if (out === undefined) {
  process.stderr.write('usage: tsx scripts/make-quant-fixtures.ts OUT_DIR\n');
  process.exit(2);
}
for (const fixture of allQuantFixtures()) {
  const dir = join(out, fixture.name);
  mkdirSync(dir, { recursive: true });
  for (const file of fixture.files) {
    writeFileSync(join(dir, file.name), file.bytes);
  }
  process.stdout.write(`${dir}: ${fixture.files.map((f) => f.name).join(', ')}\n`);
}
