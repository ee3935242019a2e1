import { describe, expect, it } from 'vitest';
import { buildJsonReport } from './json-report';
import { formatMarkdownReport } from './markdown-report';

describe('formatMarkdownReport: quantization findings', () => {
  it('lists findings in a table, escaping cells', () => {
    const report = buildJsonReport([], [], {
      version: '1',
      findings: [
        {
          rule: 'nan-scale',
          severity: 'error',
          file: 'a',
          module: 'm|x',
          tensor: 'm.weight_scale',
          count: 2,
          message: '2 NaN',
        },
      ],
    });
    const md = formatMarkdownReport(report, 'verdict');
    expect(md).toContain('| severity | rule | module | tensor | count | evidence |');
    expect(md).toContain('| error | `nan-scale` | m\\|x | `m.weight_scale` | 2 | 2 NaN |');
  });

  it('adds nothing when there are no findings', () => {
    expect(formatMarkdownReport(buildJsonReport([], [], { version: '1' }), 'v')).not.toContain(
      'Quantization',
    );
  });
});
