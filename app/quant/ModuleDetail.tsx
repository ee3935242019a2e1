import { useEffect, useState } from 'react';
import type { DequantHistogram, ModuleAnalysis } from '../../core/quant/index';
import type { TensorRow } from '../model/tensor-row';
import type { FileState } from '../store/scan-store';
import type { WorkerClient } from '../workers-client/worker-client';
import type { QuantModuleDetail, QuantSummary } from '../../workers/quant-summary';
import type { NamedFile } from '../../workers/scan.worker';
import { SimpleBars } from './SimpleBars';
import { exponentBars, scaleCodeBars, weightCodeBars } from './module-bars';
import { schemeLabel } from './scheme-label';

interface Props {
  readonly row: TensorRow;
  readonly quant: QuantSummary | null;
  readonly files: readonly FileState[];
  readonly client: WorkerClient;
}

type Detail =
  | { readonly status: 'running' }
  | {
      readonly status: 'ready';
      readonly analysis: ModuleAnalysis;
      readonly dequantized: DequantHistogram;
    }
  | { readonly status: 'error'; readonly message: string };

/**
 * The module holding the selected tensor and its analysis, asked of the worker that ran the
 * analysis (the page does not hold every module); null while asking or when there is none.
 */
function useQuantModule(
  client: WorkerClient,
  quantId: number | null,
  file: string,
  tensor: string,
): QuantModuleDetail | null {
  const key = quantId === null ? null : `${quantId}\u0000${file}\u0000${tensor}`;
  const [found, setFound] = useState<{
    readonly key: string;
    readonly value: QuantModuleDetail | null;
  } | null>(null);
  useEffect(() => {
    if (key === null || quantId === null) {
      return;
    }
    let live = true;
    void client.api.quantModule(quantId, file, tensor).then((value) => {
      if (live) {
        setFound({ key, value });
      }
    });
    return () => {
      live = false;
    };
  }, [client, key, quantId, file, tensor]);
  return found !== null && found.key === key ? found.value : null;
}

function fmt(v: number | null): string {
  return v === null ? '—' : Number.isInteger(v) ? v.toLocaleString('en-US') : v.toPrecision(5);
}

/** The quantized module the selected tensor belongs to: scales by role, effective scale, codes. */
export function ModuleDetail({ row, quant, files, client }: Props) {
  const [details, setDetails] = useState<ReadonlyMap<string, Detail>>(new Map());
  const found = useQuantModule(client, quant?.id ?? null, row.fileName, row.info.name);
  if (found === null) {
    return null;
  }
  const { module, analysis } = found;
  const detail = details.get(module.id);
  const runDetail = (): void => {
    const named: NamedFile[] = files.flatMap((f) =>
      f.file === null ? [] : [{ name: f.name, file: f.file }],
    );
    setDetails((m) => new Map(m).set(module.id, { status: 'running' }));
    void client.api
      .analyzeModuleDetail(named, module)
      .then((r) =>
        setDetails((m) =>
          new Map(m).set(
            module.id,
            'error' in r
              ? { status: 'error', message: r.error.message }
              : { status: 'ready', analysis: r.analysis, dequantized: r.dequantized },
          ),
        ),
      );
  };
  const scale = analysis?.scale ?? null;
  const weight = detail?.status === 'ready' ? detail.analysis.weight : (analysis?.weight ?? null);
  return (
    <section
      className="module-detail"
      data-testid="module-detail"
      data-module={module.prefix}
      data-scheme={module.scheme}
    >
      <h3>
        Quantized module <code>{module.prefix}</code>
      </h3>
      <p className="file-meta">
        {schemeLabel(module.scheme)}
        {module.producer !== null ? ` · ${module.producer}` : ''} · recognised from {module.source}{' '}
        · scale encoding {module.scaleEncoding}
        {module.missing.length > 0 ? ` · missing: ${module.missing.join(', ')}` : ''}
      </p>
      <ul className="module-tensors">
        {Object.entries(module.tensors).map(([role, ref]) =>
          ref === undefined ? null : (
            <li key={role}>
              <span className="role">{role}</span> <code>{ref.info.name}</code> {ref.info.dtype} [
              {ref.info.shape.join(', ')}]
            </li>
          ),
        )}
      </ul>
      {scale !== null && (
        <>
          <h4>Block scales (decoded by role)</h4>
          <p className="file-meta">
            {scale.elements.toLocaleString('en-US')} values
            {scale.padding > 0 ? ` (+${scale.padding} padding)` : ''} · NaN {scale.nan} · zero{' '}
            {scale.zero} · saturated {scale.saturated} · subnormal {scale.subnormal} · min{' '}
            {fmt(scale.min)} · max {fmt(scale.max)}
          </p>
          {scale.codes !== null && <SimpleBars bars={scaleCodeBars(scale)} />}
        </>
      )}
      {(analysis?.globalScale ?? null) !== null && (
        <p className="file-meta">global scale {fmt(analysis?.globalScale?.value ?? null)}</p>
      )}
      {(analysis?.inputScale ?? null) !== null && (
        <p className="file-meta">input scale {fmt(analysis?.inputScale?.value ?? null)}</p>
      )}
      {analysis !== null && analysis.effectiveScale !== null && (
        <>
          <h4>Effective block scale</h4>
          <p className="file-meta">
            range {fmt(analysis.effectiveScale.min)} … {fmt(analysis.effectiveScale.max)}
          </p>
          <SimpleBars bars={exponentBars(analysis.effectiveScale.histogram)} />
        </>
      )}
      {weight !== null && (
        <>
          <h4>Weight codes ({weight.codeKind})</h4>
          <SimpleBars bars={weightCodeBars(weight)} />
          {weight.zeroScaleBlocks > 0 && (
            <p className="bad">
              {weight.zeroScaleBlocks} blocks with non-zero codes sit under a zero scale (silently
              zeroed).
            </p>
          )}
        </>
      )}
      {detail?.status === 'ready' ? (
        <>
          <h4>Dequantized weights</h4>
          <p className="file-meta">
            {detail.dequantized.elements.toLocaleString('en-US')} values · min{' '}
            {fmt(detail.dequantized.min)} · max {fmt(detail.dequantized.max)} · mean{' '}
            {fmt(detail.dequantized.mean)} · std {fmt(detail.dequantized.std)} · NaN{' '}
            {detail.dequantized.nan}
          </p>
          <SimpleBars
            bars={detail.dequantized.counts.map((value, i) => ({
              label: fmt(
                detail.dequantized.lo +
                  ((i + 0.5) * (detail.dequantized.hi - detail.dequantized.lo)) /
                    detail.dequantized.counts.length,
              ),
              value,
            }))}
          />
        </>
      ) : (
        <button
          type="button"
          data-testid="module-dequantize"
          disabled={detail?.status === 'running'}
          onClick={runDetail}
        >
          {detail?.status === 'running'
            ? 'Reading the weight…'
            : 'Code histogram and dequantized distribution'}
        </button>
      )}
      {detail?.status === 'error' && <p className="bad">{detail.message}</p>}
    </section>
  );
}
