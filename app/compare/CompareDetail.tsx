import { useEffect, useState } from 'react';
import type { PairResult } from '../../core/diff/diff-types';
import type { PairHistograms, ValueHistogram } from '../../core/diff/pair-histograms';
import { SimpleBars } from '../quant/SimpleBars';
import { num, sqnrText } from './format-pair';

function bars(h: ValueHistogram, fill?: string) {
  const lo = h.lo ?? 0;
  const hi = h.hi ?? 0;
  const width = h.counts.length > 0 ? (hi - lo) / h.counts.length : 0;
  return h.counts.map((value, i) => ({
    label: (lo + (i + 0.5) * width).toPrecision(3),
    value,
    fill,
  }));
}

function Histogram({ title, h, fill }: { title: string; h: ValueHistogram; fill?: string }) {
  return (
    <figure className="compare-histogram">
      <figcaption>
        {title}
        {h.lo !== null && h.hi !== null && (
          <span className="muted">
            {' '}
            [{h.lo.toPrecision(3)}, {h.hi.toPrecision(3)}]
          </span>
        )}
      </figcaption>
      {h.counts.length === 0 ? (
        <p className="muted">no finite values</p>
      ) : (
        <SimpleBars bars={bars(h, fill)} height={120} />
      )}
    </figure>
  );
}

/** One pair: its figures, and the histograms of A, B and A − B (streamed by the worker on demand). */
export function CompareDetail({
  pair,
  load,
  onClose,
}: {
  readonly pair: PairResult;
  readonly load: (name: string) => Promise<PairHistograms | null>;
  readonly onClose: () => void;
}) {
  const [hist, setHist] = useState<{ name: string; h: PairHistograms | null } | null>(null);
  useEffect(() => {
    let live = true;
    if (pair.identical === true) {
      return undefined;
    }
    load(pair.name).then(
      (h) => {
        if (live) {
          setHist({ name: pair.name, h });
        }
      },
      () => {
        if (live) {
          setHist({ name: pair.name, h: null });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [pair.name, pair.identical, load]);
  const current = hist !== null && hist.name === pair.name ? hist : null;
  return (
    <section className="panel compare-detail" data-testid="compare-detail" aria-label="Pair detail">
      <header className="compare-detail-head">
        <h3>{pair.name}</h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <dl className="compare-figures">
        <dt>A</dt>
        <dd>
          {pair.a.dtype} [{pair.a.shape.join(', ')}]
          {pair.a.scheme !== null ? ` ${pair.a.scheme}` : ''}
        </dd>
        <dt>B</dt>
        <dd>
          {pair.b.dtype} [{pair.b.shape.join(', ')}]
          {pair.b.scheme !== null ? ` ${pair.b.scheme}` : ''}
        </dd>
        <dt>SQNR</dt>
        <dd>{sqnrText(pair)}</dd>
        <dt>cosine</dt>
        <dd>{num(pair.cosine, 6)}</dd>
        <dt>relative L2</dt>
        <dd>{num(pair.relL2)}</dd>
        <dt>max |A−B|</dt>
        <dd>{num(pair.maxAbsError)}</dd>
        <dt>NaN A / B</dt>
        <dd>
          {pair.nanA ?? '—'} / {pair.nanB ?? '—'}
        </dd>
        <dt>Inf A / B</dt>
        <dd>
          {pair.infA ?? '—'} / {pair.infB ?? '—'}
        </dd>
      </dl>
      {pair.notCompared !== null && <p className="bad">Not compared: {pair.notCompared}</p>}
      {pair.identical === true ? (
        <p>Identical bytes on both sides: nothing to compare.</p>
      ) : current === null ? (
        <p className="loading">Streaming both sides for the histograms…</p>
      ) : current.h === null ? (
        <p className="muted">No histograms (the comparison was replaced or cancelled).</p>
      ) : (
        <div className="compare-histograms" data-testid="compare-histograms">
          <Histogram title="A (reference)" h={current.h.a} />
          <Histogram title="B" h={current.h.b} fill="var(--warn)" />
          <Histogram title="error A − B" h={current.h.error} fill="var(--bad)" />
        </div>
      )}
    </section>
  );
}
