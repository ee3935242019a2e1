import { describe, expect, it } from 'vitest';
import { ruleDoc, RULE_DOCS } from './rule-docs';

/** The rule ids of core/quant today and those issue 13 adds (public contract). */
const RULE_IDS = [
  'nan-scale',
  'inf-scale',
  'saturated-scale',
  'zero-scale-nonzero-block',
  'subnormal-scale',
  'bad-global-scale',
  'missing-scale',
  'orphan-scale',
  'scale-shape',
  'missing-input-scale',
  'config-mismatch',
  'excluded-but-quantized',
  'fused-scale-mismatch',
  'scale-outlier',
  'zeroed-block',
  'unexpected-tensor',
  'zero-point-format',
  'implausible-magnitude',
  'non-pow2-scale',
  'fnuz-portability',
  'scale-drift',
  'nan-value',
  'inf-value',
];

describe('rule docs', () => {
  it('explain every rule: title, meaning, cause and fix', () => {
    for (const id of RULE_IDS) {
      const doc = ruleDoc(id);
      expect(doc, id).not.toBeNull();
      for (const field of [doc?.title, doc?.meaning, doc?.cause, doc?.fix]) {
        expect(field?.length ?? 0, id).toBeGreaterThan(10);
      }
    }
    for (const doc of Object.values(RULE_DOCS)) {
      expect(doc.meaning.endsWith('.')).toBe(true);
      expect(doc.fix.endsWith('.')).toBe(true);
    }
  });

  it('says what nan-scale does to a served model, its usual cause and the fix', () => {
    const doc = ruleDoc('nan-scale');
    expect(doc?.meaning).toContain('vLLM');
    expect(doc?.meaning).toContain('TensorRT-LLM');
    expect(doc?.meaning).toContain('!!!!');
    expect(doc?.cause).toContain('ModelOpt 0.44');
    expect(doc?.cause).toContain('E4M3');
    expect(doc?.fix).toContain('Repair');
    expect(doc?.fix).toContain('clamping exporter');
  });

  it('has no doc for an unknown id (and never throws)', () => {
    expect(ruleDoc('no-such-rule')).toBeNull();
    expect(ruleDoc('constructor')).toBeNull();
  });
});
