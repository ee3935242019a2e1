import { describe, expect, it } from 'vitest';
import { DEFAULT_REPAIR_POLICY, parsePolicy } from '../../core/repair/repair-policy';
import { repairCommand, shellQuote } from './cli-command';

describe('the equivalent CLI command', () => {
  it('repairs the shard into ./repaired/ with the page policy', () => {
    expect(repairCommand('ckpt/model-00001-of-00004.safetensors', DEFAULT_REPAIR_POLICY)).toBe(
      'mkdir -p repaired && npx ckptscope repair ckpt/model-00001-of-00004.safetensors -o repaired/ --policy max',
    );
    const policy = parsePolicy('zero,e8m0:127,float-zero');
    expect(policy.ok).toBe(true);
    if (policy.ok) {
      expect(repairCommand('m.safetensors', policy.value)).toContain(
        '--policy zero,e8m0:127,float-zero',
      );
    }
  });

  it('quotes names a shell would split or expand', () => {
    expect(shellQuote('my model/x $(rm -rf).safetensors')).toBe(
      "'my model/x $(rm -rf).safetensors'",
    );
    expect(shellQuote("it's.safetensors")).toBe("'it'\\''s.safetensors'");
    expect(shellQuote('plain-name_1.safetensors')).toBe('plain-name_1.safetensors');
  });
});
