import { describe, expect, it } from 'vitest';
import { JobDelivery } from './job-delivery';

const NEVER: Promise<void> = new Promise(() => undefined);

describe('JobDelivery', () => {
  it('settles at once when every outcome came before the reply', async () => {
    const d = new JobDelivery(NEVER);
    expect(d.receive(3)).toBe(true);
    await d.settle(3);
    expect(d.settled).toBe(true);
    expect(d.receive(1)).toBe(false);
  });

  it('waits for outcomes that come after the reply', async () => {
    const d = new JobDelivery(NEVER);
    d.receive(1);
    let settled = false;
    const waiting = d.settle(4).then(() => {
      settled = true;
    });
    await Promise.resolve();
    d.receive(2);
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(d.settled).toBe(false);
    d.receive(1);
    await waiting;
    expect(settled).toBe(true);
  });

  it('stops waiting when the worker is gone', async () => {
    let gone: () => void = () => undefined;
    const d = new JobDelivery(
      new Promise((resolve) => {
        gone = resolve;
      }),
    );
    const waiting = d.settle(2);
    gone();
    await waiting;
    expect(d.settled).toBe(true);
  });
});
