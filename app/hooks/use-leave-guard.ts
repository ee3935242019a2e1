import { useEffect } from 'react';

/**
 * While a checkpoint is loaded, leaving the page (closing the tab, reloading, typing another
 * address) asks first: the scan of a 50 GB checkpoint is not something to lose to a stray key.
 * Back and Forward inside the app move between fragments and never ask.
 */
export function useLeaveGuard(active: boolean): void {
  useEffect(() => {
    if (!active) {
      return undefined;
    }
    const onBeforeUnload = (event: BeforeUnloadEvent): void => {
      event.preventDefault();
      // Older Chromium versions show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [active]);
}
