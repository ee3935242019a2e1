import { describe, expect, it } from 'vitest';
import type { FileScheme, Finding } from '../core/quant/quant-types';
import { describeFinding, describeScheme, formatTextReport } from './text-report';

const scheme = (over: Partial<FileScheme>): FileScheme => ({
  file: 'a.safetensors',
  scheme: 'nvfp4',
  producer: 'modelopt',
  source: 'config',
  modules: 1,
  schemes: ['nvfp4'],
  ...over,
});

describe('text report: quantization', () => {
  it('describes the scheme of a file', () => {
    expect(describeScheme(scheme({}))).toBe('scheme: nvfp4 (modelopt, from config)');
    expect(describeScheme(scheme({ producer: null, source: 'names' }))).toBe(
      'scheme: nvfp4 (from names)',
    );
    expect(describeScheme(scheme({ schemes: ['nvfp4', 'fp8-tensor'] }))).toBe(
      'scheme: nvfp4 (modelopt, from config; also fp8-tensor)',
    );
    expect(describeScheme(scheme({ scheme: 'none', producer: null, source: null }))).toBe(
      'scheme: none',
    );
    expect(describeScheme(scheme({ scheme: 'unknown', producer: null, source: null }))).toBe(
      'scheme: unknown (unrecognised)',
    );
  });

  it('prints findings with severity, rule, module and evidence, terminal-safe', () => {
    const f: Finding = {
      rule: 'nan-scale',
      severity: 'error',
      file: 'a.safetensors',
      module: 'm\u001b[31m',
      tensor: 'm.weight_scale',
      count: 2,
      message: '2 NaN',
    };
    const line = describeFinding(f);
    expect(line).toMatch(
      /^ {2}error {3}nan-scale {16}m.*: 2 NaN \[m\.weight_scale in a\.safetensors\]$/,
    );
    expect(line).not.toContain('\u001b');
  });

  it('fails a file whose scales hold NaN the plain scan cannot see, and lists the findings', () => {
    const text = formatTextReport(
      [
        {
          path: 'a.safetensors',
          size: 10,
          header: { tensors: [] } as never,
          stats: new Map(),
          quant: scheme({ producer: 'comfyui', source: 'names' }),
        },
      ],
      [],
      0,
      [
        {
          rule: 'nan-scale',
          severity: 'error',
          file: 'a.safetensors',
          module: 'm',
          tensor: 't',
          count: 2,
          message: '2 NaN',
        },
      ],
    );
    expect(text).toContain('FAIL  a.safetensors');
    expect(text).toContain('scheme: nvfp4 (comfyui, from names)');
    expect(text).toContain('Quantization findings: 1 error(s), 0 warning(s), 0 info');
  });
});

describe('text report: hostile names', () => {
  it('escapes zero-width characters and the BOM, and shortens names past 256 characters', () => {
    const long = `model.layers.0.${'x'.repeat(400)}.weight`;
    const f: Finding = {
      rule: 'nan-scale',
      severity: 'error',
      file: `\ufeffa\u200b.safetensors`,
      module: long,
      tensor: `${long}_scale`,
      count: 1,
      message: 'NaN in \u2067x',
    };
    const line = describeFinding(f);
    expect(line).toContain('\\ufeffa\\u200b.safetensors');
    expect(line).toContain('NaN in \\u2067x');
    expect(line).not.toContain(long);
    expect(line).toContain(`model.layers.0.${'x'.repeat(100)}`);
    expect(line).toContain('…');
    expect(line).toContain(`${'x'.repeat(100)}.weight_scale`);
  });
});

describe('text report: each file line counts its own findings', () => {
  const finding = (file: string | null, rule: Finding['rule'], severity: Finding['severity']) =>
    ({ rule, severity, file, module: 'm', tensor: null, count: 1, message: 'x' }) as Finding;
  const file = (path: string) => ({
    path,
    size: 10,
    header: { tensors: [] } as never,
    stats: new Map(),
  });

  it('per file: NaN scales first, else failing findings, else OK; warnings and other files do not count', () => {
    const text = formatTextReport(
      [file('a.safetensors'), file('b.safetensors'), file('c.safetensors')],
      [],
      0,
      [
        finding('a.safetensors', 'nan-scale', 'error'),
        finding('b.safetensors', 'bad-global-scale', 'error'),
        finding('a.safetensors', 'inf-scale', 'error'),
        finding('b.safetensors', 'bad-global-scale', 'error'),
        finding('c.safetensors', 'missing-input-scale', 'warning'),
        finding(null, 'bad-global-scale', 'error'),
        finding('b.safetensors', 'missing-input-scale', 'warning'),
      ],
    );
    const lines = text.split('\n');
    expect(lines).toContain(
      'FAIL  a.safetensors (10 B, 0 tensors): NaN/Inf in 2 scale tensors decoded by role (see findings)',
    );
    expect(lines).toContain(
      'FAIL  b.safetensors (10 B, 0 tensors): no NaN or Inf, 2 error findings (see findings)',
    );
    expect(lines).toContain('OK    c.safetensors (10 B, 0 tensors): no NaN or Inf');
    expect(lines).toContain('Quantization findings: 5 error(s), 2 warning(s), 0 info');
  });

  it('names the same file once per finding line, as terminalName would each time', () => {
    const path = 'dir/\u202emodel.safetensors';
    const text = formatTextReport([file(path)], [], 0, [
      finding(path, 'nan-scale', 'error'),
      finding(path, 'nan-scale', 'error'),
    ]);
    const lines = text.split('\n').filter((l) => l.startsWith('  error'));
    expect(lines).toEqual([
      '  error   nan-scale                m: x [dir/\\u202emodel.safetensors]',
      '  error   nan-scale                m: x [dir/\\u202emodel.safetensors]',
    ]);
  });
});
