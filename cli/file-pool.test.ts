import { describe, expect, it } from 'vitest';
import { FilePool, PooledFile } from './file-pool';

/** Files whose "descriptors" are numbers from a counter; records which are open. */
function fakeFiles(n: number): { files: PooledFile[]; open: Set<number>; opens: number[] } {
  const open = new Set<number>();
  const opens: number[] = [];
  const files = Array.from(
    { length: n },
    (_, i) =>
      new PooledFile({
        open: async () => {
          open.add(i);
          opens.push(i);
          return i;
        },
        close: (fd) => {
          expect(open.has(fd)).toBe(true);
          open.delete(fd);
        },
      }),
  );
  return { files, open, opens };
}

describe('FilePool', () => {
  it('keeps at most `limit` descriptors open, closing the least recently used idle one', async () => {
    const pool = new FilePool(2);
    const { files, open, opens } = fakeFiles(3);
    await pool.use(files[0], async () => undefined);
    await pool.use(files[1], async () => undefined);
    await pool.use(files[0], async () => undefined); // 1 is now the least recently used
    expect([...open].sort()).toEqual([0, 1]);
    await pool.use(files[2], async () => undefined);
    expect([...open].sort()).toEqual([0, 2]);
    await pool.use(files[0], async () => undefined);
    expect(opens).toEqual([0, 1, 2]); // 0 stayed open: not reopened
    expect(pool.openCount).toBe(2);
  });

  it('many concurrent reads over many files never exceed the limit, and all complete', async () => {
    const pool = new FilePool(3);
    const { files, open } = fakeFiles(50);
    let most = 0;
    const reads = files.flatMap((f, i) =>
      [0, 1].map(() =>
        pool.use(f, async (fd) => {
          most = Math.max(most, open.size);
          await new Promise((resolve) => setTimeout(resolve, i % 3));
          return fd;
        }),
      ),
    );
    expect(await Promise.all(reads)).toEqual(files.flatMap((_, i) => [i, i]));
    expect(most).toBeLessThanOrEqual(3);
    expect(pool.openCount).toBeLessThanOrEqual(3);
  });

  it('close: at once when idle, after the last read otherwise; a closed file is not reopened', async () => {
    const pool = new FilePool(4);
    const { files, open } = fakeFiles(2);
    await pool.use(files[0], async () => undefined);
    pool.close(files[0]);
    expect(open.has(0)).toBe(false);
    await expect(pool.use(files[0], async () => undefined)).rejects.toThrow('already closed');
    let finish = (): void => undefined;
    const reading = pool.use(files[1], () => new Promise<void>((resolve) => (finish = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    pool.close(files[1]);
    expect(open.has(1)).toBe(true);
    finish();
    await reading;
    expect(open.has(1)).toBe(false);
    expect(pool.openCount).toBe(0);
  });

  it('a failed open frees its slot and is retried by the next read', async () => {
    const pool = new FilePool(1);
    let fail = true;
    const flaky = new PooledFile({
      open: async () => {
        if (fail) {
          throw new Error('EACCES');
        }
        return 7;
      },
      close: () => undefined,
    });
    await expect(pool.use(flaky, async (fd) => fd)).rejects.toThrow('EACCES');
    expect(pool.openCount).toBe(0);
    fail = false;
    expect(await pool.use(flaky, async (fd) => fd)).toBe(7);
  });
});
