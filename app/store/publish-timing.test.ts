import { describe, expect, it } from 'vitest';
import {
  BULK_PUBLISH_INTERVAL_MS,
  PUBLISH_INTERVAL_MS,
  publishDelay,
  ROWS_PER_INTERVAL,
} from './publish-timing';

describe('publishDelay', () => {
  it('publishes at once when the verdict just became complete', () => {
    expect(publishDelay(1_000_000, true, true)).toBe(0);
  });

  it('waits the phase interval, longer by its own length per ROWS_PER_INTERVAL rows', () => {
    expect(publishDelay(0, true, false)).toBe(PUBLISH_INTERVAL_MS);
    expect(publishDelay(0, false, false)).toBe(BULK_PUBLISH_INTERVAL_MS);
    expect(publishDelay(3 * ROWS_PER_INTERVAL, false, false)).toBe(4 * BULK_PUBLISH_INTERVAL_MS);
  });
});
