import { useEffect, useState } from 'react';

export interface BoxSize {
  /** The element's content width. */
  readonly width: number;
  /** The window's inner height (what a view may fill without scrolling the page twice). */
  readonly viewportHeight: number;
}

/**
 * The width of an element and the window height, kept up to date on resize; null before layout.
 * Takes the element itself (from a callback ref), not a ref object: an element mounted later than
 * the component (after the first rows arrive) is measured too.
 */
export function useBoxSize(element: HTMLElement | null): BoxSize | null {
  const [size, setSize] = useState<BoxSize | null>(null);
  useEffect(() => {
    if (element === null) {
      return undefined;
    }
    const measure = (): void => {
      const width = element.clientWidth;
      const viewportHeight = window.innerHeight;
      setSize((prev) =>
        prev !== null && prev.width === width && prev.viewportHeight === viewportHeight
          ? prev
          : { width, viewportHeight },
      );
    };
    // No measure now: reading the width here forced the layout of the whole page inside the
    // commit (~50-80 ms once a million-tensor heatmap mounts). The observer reports the size
    // when it first observes, after the browser's own layout of the frame.
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [element]);
  return size;
}
