/** The id of the findings panel, the target of the verdict's link. */
export const FINDINGS_ID = 'findings';
export const REPAIR_ID = 'repair';

function jumpTo(id: string): void {
  const target = document.getElementById(id);
  if (target === null) {
    return;
  }
  target.scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
}

export function scrollToFindings(): void {
  jumpTo(FINDINGS_ID);
}

interface Props {
  readonly findings: number;
  /** Files whose scales hold NaN/Inf (the repair panel has something to patch). */
  readonly repairable: number;
  onFindings(): void;
}

/** Under the verdict: links to what explains it (the findings) and what fixes it (the repair). */
export function VerdictLinks({ findings, repairable, onFindings }: Props) {
  if (findings === 0 && repairable === 0) {
    return null;
  }
  return (
    <nav className="verdict-links" aria-label="Verdict details">
      {findings > 0 && (
        <button
          type="button"
          className="link"
          data-testid="verdict-findings-link"
          onClick={onFindings}
        >
          See the {findings.toLocaleString('en-US')} finding{findings === 1 ? '' : 's'}
        </button>
      )}
      {repairable > 0 && (
        <button
          type="button"
          className="link"
          data-testid="verdict-repair-link"
          onClick={() => jumpTo(REPAIR_ID)}
        >
          Go to the repair
        </button>
      )}
    </nav>
  );
}
