import { useMemo, useRef } from 'react';

/** Where a tensor detail was opened from: the focused element, and the tensor's row key. */
interface Origin {
  readonly element: HTMLElement | null;
  readonly key: string | null;
}

export interface FocusReturn {
  /** Called when a detail opens: remembers the focused element (and the row, if it unmounts). */
  remember(key: string | null): void;
  /** Called when the detail closes: focus goes back where it came from. */
  restore(): void;
  /** Scrolls the tensor's table row into view once the table has rendered it. */
  reveal(key: string): void;
}

function rowOf(key: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(
    `[data-testid="tensor-row"][data-key="${CSS.escape(key)}"]`,
  );
}

/** Runs after the next two frames: React commits, then the virtualized table renders its window. */
function afterRender(run: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(run));
}

export function useFocusReturn(): FocusReturn {
  const origin = useRef<Origin>({ element: null, key: null });
  return useMemo(
    () => ({
      remember(key) {
        const active = document.activeElement;
        origin.current = {
          element: active instanceof HTMLElement && active !== document.body ? active : null,
          key,
        };
      },
      restore() {
        afterRender(() => {
          const { element, key } = origin.current;
          if (element !== null && element.isConnected) {
            element.focus();
          } else if (key !== null) {
            rowOf(key)?.focus();
          }
        });
      },
      reveal(key) {
        afterRender(() => rowOf(key)?.scrollIntoView({ block: 'center' }));
      },
    }),
    [],
  );
}
