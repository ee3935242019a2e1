import type { RepairPolicy } from '../../core/repair/repair-policy';
import { formatByte, parseByte } from '../../core/repair/repair-policy';

interface Props {
  readonly policy: RepairPolicy;
  readonly onChange: (p: RepairPolicy) => void;
}

/** The repair policy for all findings: FP8 NaN bytes, E8M0 NaN exponents, NaN/Inf in float tensors. */
export function PolicyEditor({ policy, onChange }: Props) {
  const fp8Value = policy.fp8.kind;
  return (
    <fieldset className="policy-editor">
      <legend>Policy</legend>
      <label>
        FP8 E4M3 NaN bytes (0x7F/0xFF) become{' '}
        <select
          data-testid="policy-fp8"
          value={fp8Value}
          onChange={(e) => {
            const v = e.currentTarget.value;
            onChange({
              ...policy,
              fp8:
                v === 'zero'
                  ? { kind: 'zero' }
                  : v === 'byte'
                    ? { kind: 'byte', value: 0x7e }
                    : { kind: 'max' },
            });
          }}
        >
          <option value="max">
            the largest finite value: +448 for scales (0x7E), ±448 for weights (0x7E/0xFE)
          </option>
          <option value="zero">zero (+0 for scales)</option>
          <option value="byte">a chosen byte</option>
        </select>
      </label>
      {policy.fp8.kind === 'byte' && (
        <label>
          byte{' '}
          <input
            className="byte-input"
            defaultValue={formatByte(policy.fp8.value)}
            aria-label="FP8 replacement byte"
            onBlur={(e) => {
              const b = parseByte(e.currentTarget.value.trim());
              if (b !== null && (b & 0x7f) !== 0x7f) {
                onChange({ ...policy, fp8: { kind: 'byte', value: b } });
              } else {
                e.currentTarget.value =
                  policy.fp8.kind === 'byte' ? formatByte(policy.fp8.value) : '';
              }
            }}
          />
        </label>
      )}
      <label>
        <input
          type="checkbox"
          checked={policy.e8m0 !== null}
          onChange={(e) =>
            onChange({ ...policy, e8m0: e.currentTarget.checked ? { byte: 127 } : null })
          }
        />{' '}
        E8M0 NaN scales (0xFF) become exponent byte
      </label>
      {policy.e8m0 !== null && (
        <input
          className="byte-input"
          defaultValue={String(policy.e8m0.byte)}
          aria-label="E8M0 replacement byte"
          onBlur={(e) => {
            const b = parseByte(e.currentTarget.value.trim());
            if (b !== null && b !== 0xff) {
              onChange({ ...policy, e8m0: { byte: b } });
            }
          }}
        />
      )}
      <label>
        NaN/Inf in BF16/F16/F32 tensors{' '}
        <select
          data-testid="policy-float"
          value={policy.float ?? 'off'}
          onChange={(e) => {
            const v = e.currentTarget.value;
            onChange({ ...policy, float: v === 'zero' ? 'zero' : v === 'max' ? 'max' : null });
          }}
        >
          <option value="off">leave alone</option>
          <option value="zero">to 0 (lossy)</option>
          <option value="max">to the largest finite, positive in scales (lossy)</option>
        </select>
      </label>
    </fieldset>
  );
}
