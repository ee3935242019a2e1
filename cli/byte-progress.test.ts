import { describe, expect, it } from 'vitest';
import { lazyProgress, progressFeed } from './byte-progress';

describe('progressFeed', () => {
  it('turns running totals into increments', () => {
    const steps: number[] = [];
    const feed = progressFeed((n) => steps.push(n));
    [10, 25, 25, 40].forEach(feed);
    expect(steps).toEqual([10, 15, 0, 15]);
  });
});

describe('lazyProgress', () => {
  function fakeTerminal(): { stream: NodeJS.WriteStream; written: string[] } {
    const written: string[] = [];
    const stream = {
      isTTY: true,
      write: (s: string) => written.push(s) > 0,
    } as unknown as NodeJS.WriteStream;
    return { stream, written };
  }

  it('draws a bar sized by the first total on a terminal, and clears it when done', () => {
    const { stream, written } = fakeTerminal();
    const p = lazyProgress(true, stream);
    p.onProgress(50, 100);
    p.done();
    expect(written[0]).toContain('50.0%');
    expect(written.at(-1)).toBe('\r\u001b[2K');
  });

  it('draws nothing when hidden', () => {
    const { stream, written } = fakeTerminal();
    const p = lazyProgress(false, stream);
    p.onProgress(50, 100);
    p.done();
    expect(written).toEqual([]);
  });
});
