import { createHash } from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './testing/run-cli';
import { assembleSafetensors, buildSafetensors } from '../core/format/build-safetensors';
import { faultFixtures } from '../core/quant/testing/fault-fixtures';

/** Absolute data offset of a tensor, read from the header JSON here (independently of core). */
function dataOffset(file: Buffer, tensor: string): number {
  const n = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.subarray(8, 8 + n).toString('utf8')) as Record<
    string,
    { data_offsets: [number, number] }
  >;
  return 8 + n + header[tensor].data_offsets[0];
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Offsets where two files differ, with the output's byte there: a plain Buffer loop. */
function differences(a: Buffer, b: Buffer): [number, number][] {
  expect(b.length).toBe(a.length);
  const out: [number, number][] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      out.push([i, b[i]]);
    }
  }
  return out;
}

/** Hash and mtime, to prove a file was not touched. */
function fingerprint(path: string): { hash: string; mtimeMs: number; size: number } {
  const s = statSync(path);
  return { hash: sha256(path), mtimeMs: s.mtimeMs, size: s.size };
}

/**
 * An NVFP4 layer (ModelOpt layout): weight U8 [2, 32] (2 rows x 64 FP4 codes), weight_scale
 * F8_E4M3 [2, 4]. Scale (0, 1) = 0x7F over a block whose 16 codes are all ±0 (neutral); scale
 * (1, 2) = 0xFF over a block holding a non-zero code (clamped); (1, 3) = 0x80 is -0, not NaN.
 */
function nvfp4File(): Uint8Array {
  const weight = new Uint8Array(64).fill(0x11);
  weight.fill(0x80, 8, 16); // row 0, block 1: codes 0x0 and 0x8
  weight.fill(0x00, 32 + 16, 32 + 24); // row 1, block 2 ...
  weight[32 + 20] = 0x90; // ... with one non-zero code (0x9)
  return buildSafetensors([
    { name: 'model.layers.0.mlp.down_proj.weight', dtype: 'U8', shape: [2, 32], data: weight },
    {
      name: 'model.layers.0.mlp.down_proj.weight_scale',
      dtype: 'F8_E4M3',
      shape: [2, 4],
      data: Uint8Array.of(0x38, 0x7f, 0x30, 0x7e, 0x38, 0x40, 0xff, 0x80),
    },
    {
      name: 'model.norm.weight',
      dtype: 'BF16',
      shape: [4],
      data: new Uint8Array(Uint16Array.of(0x3f80, 0x7fc0, 0xff80, 0x4000).buffer),
    },
  ]);
}
const SCALE = 'model.layers.0.mlp.down_proj.weight_scale';

let dir = '';
let nanFile = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-repair-'));
  nanFile = join(dir, 'model.safetensors');
  writeFileSync(nanFile, nvfp4File());
  mkdirSync(join(dir, 'ckpt'));
  writeFileSync(join(dir, 'ckpt', 'model-00001-of-00002.safetensors'), nvfp4File());
  writeFileSync(
    join(dir, 'ckpt', 'model-00002-of-00002.safetensors'),
    buildSafetensors([
      { name: 'lm_head.weight', dtype: 'F8_E4M3', shape: [2], data: Uint8Array.of(0x38, 0x80) },
    ]),
  );
  writeFileSync(
    join(dir, 'ckpt', 'model.safetensors.index.json'),
    '{"metadata":{},"weight_map":{}}',
  );
  const header = new TextEncoder().encode(
    '{"a":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}',
  );
  writeFileSync(
    join(dir, 'truncated.safetensors'),
    assembleSafetensors(header, [Uint8Array.of(0x7f)]),
  );
  const entry = '{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}';
  writeFileSync(
    join(dir, 'dup.safetensors'),
    assembleSafetensors(new TextEncoder().encode(`{"a":${entry},"a":${entry}}`), [
      Uint8Array.of(0x7f),
    ]),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ckptscope repair', () => {
  it('patches exactly the NaN scale bytes, keeps every other byte, and never touches the input', async () => {
    const before = fingerprint(nanFile);
    const out = join(dir, 'out-a.safetensors');
    const r = await cli('repair', nanFile, '-o', out);
    expect(r.code).toBe(0);
    const input = readFileSync(nanFile);
    const s = dataOffset(input, SCALE);
    expect(differences(input, readFileSync(out))).toEqual([
      [s + 1, 0x7e],
      [s + 6, 0x7e], // a NaN scale becomes +448 whatever its sign bit
    ]);
    expect(r.stdout).toContain(SCALE);
    expect(r.stdout).toContain('1 neutral, 1 clamped');
    expect(r.stdout).toContain(`byte ${s + 6}  0xFF → 0x7E  clamped`);
    expect(r.stdout).toContain('Note: 1 clamped FP4 block scale: the codes vary');
    expect(r.stdout).toContain(`byte ${s + 1}  0x7F → 0x7E  neutral`);
    expect(r.stdout).toContain(`Wrote ${out}: verified (2 differing bytes`);
    expect(r.stdout).toContain('Re-exporting');
    expect(fingerprint(nanFile)).toEqual(before);
    expect(readdirSync(dir).filter((n) => n.includes('.ckptscope-'))).toEqual([]);
  });

  it('writes the manifest with the contract fields and SHA-256 of input and output', async () => {
    const out = join(dir, 'out-b.safetensors');
    const manifestPath = join(dir, 'out-b.manifest.json');
    const r = await cli('repair', nanFile, '-o', out, '--manifest', manifestPath, '--sha256');
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    const s = dataOffset(readFileSync(nanFile), SCALE);
    expect(m).toMatchObject({
      tool: { name: 'ckptscope' },
      policy: { text: 'max', fp8: { kind: 'max' }, e8m0: null, float: null },
      file: nanFile,
      size: statSync(nanFile).size,
      patches: [
        {
          tensor: SCALE,
          flatIndex: 1,
          row: 0,
          col: 1,
          offset: s + 1,
          old: 0x7f,
          new: 0x7e,
          classification: 'neutral',
          class: 'neutral',
        },
        {
          tensor: SCALE,
          flatIndex: 6,
          row: 1,
          col: 2,
          offset: s + 6,
          old: 0xff,
          new: 0x7e,
          classification: 'lossy',
          class: 'clamped',
        },
      ],
      summary: {
        patches: 2,
        neutral: 1,
        clamped: 1,
        destroyed: 0,
        lossy: 1,
        tensors: [{ name: SCALE, role: 'fp4-block-scale', patches: 2, clamped: 1 }],
      },
      sha256: { input: sha256(nanFile), output: sha256(out) },
    });
  });

  it('--json prints the manifest alone on stdout; --chunk-bytes does not change the output', async () => {
    const out = join(dir, 'out-c.safetensors');
    const r = await cli('repair', nanFile, '-o', out, '--json', '--chunk-bytes', '3');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as { patches: unknown[]; sha256: unknown };
    expect(m.patches).toHaveLength(2);
    expect(m.sha256).toBeNull();
    const whole = join(dir, 'out-c-whole.safetensors');
    expect((await cli('repair', nanFile, '-o', whole)).code).toBe(0);
    expect(readFileSync(out).equals(readFileSync(whole))).toBe(true);
  });

  it('repairing the repaired output plans zero patches and writes nothing', async () => {
    const repaired = join(dir, 'out-once.safetensors');
    expect((await cli('repair', nanFile, '-o', repaired)).code).toBe(0);
    const again = join(dir, 'again.safetensors');
    const r = await cli('repair', repaired, '-o', again, '--manifest', join(dir, 'again.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nothing to patch');
    expect(r.stdout).toContain('Nothing to patch: nothing written (no manifest either).');
    expect(existsSync(again)).toBe(false);
    expect(existsSync(join(dir, 'again.json'))).toBe(false);
    const json = await cli('repair', repaired, '--dry-run', '--json');
    expect((JSON.parse(json.stdout) as { patches: unknown[] }).patches).toEqual([]);
  });

  it('a folder IN writes only the shards that needed patches, under their own names', async () => {
    const before = fingerprint(join(dir, 'ckpt', 'model-00001-of-00002.safetensors'));
    const out = join(dir, 'ckpt-fixed');
    const r = await cli(
      'repair',
      join(dir, 'ckpt'),
      '-o',
      out,
      '--manifest',
      join(dir, 'ckpt.json'),
    );
    expect(r.code).toBe(0);
    expect(readdirSync(out)).toEqual(['model-00001-of-00002.safetensors']);
    expect(r.stdout).toMatch(/OK {4}.*model-00002-of-00002.safetensors: nothing to patch/);
    const shard = readFileSync(join(dir, 'ckpt', 'model-00001-of-00002.safetensors'));
    const s = dataOffset(shard, SCALE);
    expect(differences(shard, readFileSync(join(out, 'model-00001-of-00002.safetensors')))).toEqual(
      [
        [s + 1, 0x7e],
        [s + 6, 0x7e], // a NaN scale becomes +448 whatever its sign bit
      ],
    );
    const m = JSON.parse(readFileSync(join(dir, 'ckpt.json'), 'utf8')) as {
      files: { file: string }[];
      unchanged: string[];
    };
    expect(m.files.map((f) => f.file)).toEqual([
      join(dir, 'ckpt', 'model-00001-of-00002.safetensors'),
    ]);
    expect(m.unchanged).toEqual(['model-00002-of-00002.safetensors']);
    expect(fingerprint(join(dir, 'ckpt', 'model-00001-of-00002.safetensors'))).toEqual(before);
  });

  it('float policies patch BF16 NaN/Inf (lossy); the default leaves them alone', async () => {
    const out = join(dir, 'out-float.safetensors');
    const r = await cli('repair', nanFile, '-o', out, '--policy', 'max,float-zero');
    expect(r.code).toBe(0);
    const input = readFileSync(nanFile);
    const b = dataOffset(input, 'model.norm.weight');
    // NaN 0x7FC0 (LE C0 7F) -> +0 (00 00); -Inf 0xFF80 (LE 80 FF) -> -0 0x8000 (LE 00 80).
    const floatDiffs = differences(input, readFileSync(out)).filter(([o]) => o >= b);
    expect(floatDiffs).toEqual([
      [b + 2, 0x00],
      [b + 3, 0x00],
      [b + 4, 0x00],
      [b + 5, 0x80],
    ]);
    expect(r.stdout).toContain('lossy float byte patches');
  });

  it('a block ModelOpt divided by its NaN scale (all codes +6, 0x77) is destroyed: zero scale, said so', async () => {
    // One row of 3 blocks: destroyed (0x77...), clamped (varied codes, NaN with the sign bit), healthy.
    const weight = new Uint8Array(24).fill(0x21);
    weight.fill(0x77, 0, 8);
    weight.set([0x12, 0x9a, 0x31, 0x05, 0x7b, 0x44, 0x20, 0xc1], 8);
    const input = join(dir, 'destroyed.safetensors');
    writeFileSync(
      input,
      buildSafetensors([
        { name: 'm.weight', dtype: 'U8', shape: [1, 24], data: weight },
        {
          name: 'm.weight_scale',
          dtype: 'F8_E4M3',
          shape: [1, 3],
          data: Uint8Array.of(0x7f, 0xff, 0x38),
        },
      ]),
    );
    const out = join(dir, 'destroyed-out.safetensors');
    const manifestPath = join(dir, 'destroyed.json');
    const r = await cli('repair', input, '-o', out, '--manifest', manifestPath, '--no-progress');
    expect(r.code).toBe(0);
    const before = readFileSync(input);
    const s = dataOffset(before, 'm.weight_scale');
    expect(differences(before, readFileSync(out))).toEqual([
      [s, 0x00],
      [s + 1, 0x7e],
    ]);
    expect(r.stdout).toContain('2 bytes in 1 tensor (1 clamped, 1 destroyed)');
    expect(r.stdout).toContain(`byte ${s}  0x7F → 0x00  destroyed`);
    expect(r.stdout).toContain(
      'Note: 1 destroyed FP4 block: all 16 codes are the same saturated code',
    );
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      patches: { class: string; classification: string; new: number }[];
      summary: Record<string, unknown>;
      notes: string[];
    };
    expect(m.patches.map((p) => [p.class, p.classification, p.new])).toEqual([
      ['destroyed', 'lossy', 0],
      ['clamped', 'lossy', 0x7e],
    ]);
    expect(m.summary).toMatchObject({ patches: 2, neutral: 0, clamped: 1, destroyed: 1, lossy: 2 });
    expect(m.notes[0]).toContain('set to zero (0x00)');
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const out = join(dir, 'dry.safetensors');
    const r = await cli('repair', nanFile, '-o', out, '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PATCH');
    expect(r.stdout).toContain('Note: 1 clamped FP4 block scale: the codes vary');
    expect(r.stdout).toContain('Dry run: nothing written.');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to write into its input: same path, another path, a hard link, the same folder', async () => {
    const before = fingerprint(nanFile);
    linkSync(nanFile, join(dir, 'hardlink.safetensors'));
    for (const out of [
      nanFile,
      `${dir}/./model.safetensors`,
      join(dir, 'hardlink.safetensors'),
      dir,
    ]) {
      const r = await cli('repair', nanFile, '-o', out);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('never writes into its input');
    }
    const shardBefore = fingerprint(join(dir, 'ckpt', 'model-00001-of-00002.safetensors'));
    for (const out of [join(dir, 'ckpt'), join(dir, 'ckpt') + '/', `${dir}/ckpt/../ckpt`]) {
      const r = await cli('repair', join(dir, 'ckpt'), '-o', out);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('input folder');
    }
    expect(fingerprint(nanFile)).toEqual(before);
    expect(fingerprint(join(dir, 'ckpt', 'model-00001-of-00002.safetensors'))).toEqual(shardBefore);
    expect(readdirSync(dir).filter((n) => n.includes('.ckptscope-'))).toEqual([]);
  });

  it('exits 2 and writes nothing on invalid input, duplicate names and a missing IN', async () => {
    const out = join(dir, 'never.safetensors');
    const truncated = await cli('repair', join(dir, 'truncated.safetensors'), '-o', out);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toContain('MetadataIncompleteBuffer');
    const dup = await cli('repair', join(dir, 'dup.safetensors'), '-o', out);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('report-only');
    const missing = await cli('repair', join(dir, 'nope.safetensors'), '-o', out);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    expect(existsSync(out)).toBe(false);
    expect(truncated.stdout + truncated.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('exits 2 on usage errors with a clear message', async () => {
    const out = join(dir, 'never.safetensors');
    const cases: [string[], string][] = [
      [['repair', nanFile], 'needs -o OUT'],
      [['repair', '-o', out], 'exactly one IN'],
      [['repair', nanFile, nanFile, '-o', out], 'exactly one IN'],
      [['repair', nanFile, '-o', out, '--policy', 'maximum'], 'unknown policy item'],
      [['repair', nanFile, '-o', out, '--policy', 'byte:300'], 'takes a byte'],
      [['repair', nanFile, '-o', out, '--policy', 'byte:0xFF'], 'itself NaN'],
      [['repair', nanFile, '-o', out, '--policy', ''], 'empty policy'],
      [['repair', nanFile, '-o', out, '--frobnicate'], 'frobnicate'],
      [
        ['repair', nanFile, '--dry-run', '--manifest', join(dir, 'm.json')],
        '--dry-run writes nothing',
      ],
      [['repair', nanFile, '-o', out, '--manifest', nanFile], 'refusing --manifest'],
      [['repair', nanFile, '-o', join(dir, 'no-such-folder', 'x.safetensors')], 'does not exist'],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(existsSync(out)).toBe(false);
    const help = await cli('repair', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--policy NAME');
  });
});

describe('repair of FP8 scales stored as U8 (decoded by role)', () => {
  it('patches the NaN bytes of ComfyUI U8 scales and gpt-oss E8M0 scales, and nothing else', async () => {
    for (const name of ['comfy-nan-scales', 'gptoss-nan-scales']) {
      const fixture = faultFixtures().find((f) => f.name === name);
      expect(fixture).toBeDefined();
      const file = fixture?.files.find((f) => f.name.endsWith('.safetensors'));
      if (file === undefined) {
        throw new Error(`${name}: no safetensors file`);
      }
      const input = join(dir, `${name}.safetensors`);
      const output = join(dir, `${name}-repaired.safetensors`);
      writeFileSync(input, file.bytes);
      const r = await cli(
        'repair',
        input,
        '-o',
        output,
        '--policy',
        'max,e8m0:127',
        '--no-progress',
      );
      expect(r.code).toBe(0);
      const before = readFileSync(input);
      const after = readFileSync(output);
      const diff = differences(before, after);
      expect(diff.length).toBeGreaterThan(0);
      for (const [offset] of diff) {
        // Every patched byte was a NaN byte of its role: E4M3 0x7F/0xFF, or E8M0 0xFF.
        const old = before[offset];
        expect(name === 'comfy-nan-scales' ? (old & 0x7f) === 0x7f : old === 0xff).toBe(true);
        // Scales are positive: 0x7F and 0xFF alike become +448 (0x7E).
        expect(after[offset]).toBe(name === 'comfy-nan-scales' ? 0x7e : 127);
      }
      const rescan = await cli('scan', '--json', output);
      const doc = JSON.parse(rescan.stdout) as { findings: { rule: string }[] };
      expect(doc.findings.filter((f) => f.rule === 'nan-scale')).toEqual([]);
    }
  });
});
