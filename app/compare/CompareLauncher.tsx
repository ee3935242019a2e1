import { useState } from 'react';
import { CompareMode } from './CompareMode';

/** The way into Compare mode: a button; the mode opens below it and closes back to the button. */
export function CompareLauncher() {
  const [open, setOpen] = useState(false);
  if (open) {
    return <CompareMode onClose={() => setOpen(false)} />;
  }
  return (
    <p className="compare-launch">
      <button type="button" data-testid="compare-open" onClick={() => setOpen(true)}>
        Compare two checkpoints…
      </button>
    </p>
  );
}
