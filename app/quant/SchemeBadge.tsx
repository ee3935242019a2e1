import type { QuantState } from './use-quant-analysis';
import { describeFileScheme } from './scheme-label';

/** What the checkpoint is quantized with and where that was learned (config or names). */
export function SchemeBadge({ quant }: { readonly quant: QuantState }) {
  if (quant.status === 'idle') {
    return null;
  }
  if (quant.status !== 'ready') {
    return (
      <span className="scheme-badge" data-testid="scheme-badge" data-scheme="">
        {quant.status === 'running'
          ? 'Recognising the quantization scheme…'
          : 'Scheme analysis failed'}
      </span>
    );
  }
  const files = quant.summary.files;
  const distinct = new Map(files.map((f) => [describeFileScheme(f), f]));
  const [first] = distinct.values();
  if (first === undefined) {
    return null;
  }
  const title = files
    .map((f) => `${f.file}: ${describeFileScheme(f)} (${f.modules} quantized modules)`)
    .join('\n');
  return (
    <span
      className={`scheme-badge scheme-${first.scheme}`}
      data-testid="scheme-badge"
      data-scheme={distinct.size === 1 ? first.scheme : 'mixed'}
      data-producer={first.producer ?? ''}
      data-source={first.source ?? ''}
      title={title}
    >
      {distinct.size === 1
        ? describeFileScheme(first)
        : `${distinct.size} schemes across files: ${[...distinct.keys()].join('; ')}`}
    </span>
  );
}
