/**
 * Bounded file descriptors. A checkpoint folder may hold thousands of shards and every one is a
 * `ByteSource` from the header parse to the end of its group's scan; holding a descriptor for each
 * ran out of them (5,000 shards under `ulimit -n 1024`: 3,996 EMFILE errors). A pool opens a file
 * when it is read, keeps at most `limit` descriptors open, and closes the least recently used idle
 * one to make room; a read in flight keeps its descriptor (a full pool makes the next read wait).
 */

/**
 * Descriptors one thread keeps open. Reads go file by file (plus a module analysis touching a
 * weight and its scales), so a few would do; each scan thread has its own pool, so the CLI's
 * total stays far below the usual soft limits (1024, and 256 on macOS) with 4 threads plus the
 * main thread: 5 × 32 plus Node's own.
 */
export const MAX_OPEN_FILES_PER_THREAD = 32;

/** How a pooled file is opened and closed (a descriptor number; the caller checks what it opened). */
export interface PooledFileOps {
  open(): Promise<number>;
  close(fd: number): void;
}

export class PooledFile {
  /** The open descriptor, or null while closed. */
  fd: number | null = null;
  /** Reads using the descriptor now; it is not closed while positive. */
  users = 0;
  /** Closed by its owner: never opened again. */
  released = false;
  opening: Promise<number> | null = null;

  constructor(readonly ops: PooledFileOps) {}
}

export class FilePool {
  /** Descriptors open or being opened. */
  private count = 0;
  /** Open descriptors no read uses, least recently used first (a Map keeps insertion order). */
  private readonly idle = new Map<PooledFile, true>();
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Descriptors open now (for tests). */
  get openCount(): number {
    return this.count;
  }

  /** Runs `read` with `file`'s descriptor, opening it (within the limit) when it is closed. */
  async use<T>(file: PooledFile, read: (fd: number) => Promise<T>): Promise<T> {
    const fd = await this.acquire(file);
    try {
      return await read(fd);
    } finally {
      this.releaseUse(file);
    }
  }

  /** The owner is done with `file`: its descriptor is closed now, or when its last read ends. */
  close(file: PooledFile): void {
    file.released = true;
    if (file.users === 0) {
      this.closeDescriptor(file);
    }
  }

  private async acquire(file: PooledFile): Promise<number> {
    if (file.released) {
      throw new Error('the file was already closed');
    }
    file.users++;
    this.idle.delete(file);
    if (file.fd !== null) {
      return file.fd;
    }
    file.opening ??= this.openWithinLimit(file);
    try {
      return await file.opening;
    } catch (e) {
      file.users--;
      throw e;
    }
  }

  private async openWithinLimit(file: PooledFile): Promise<number> {
    try {
      while (this.count >= this.limit) {
        const oldest = this.idle.keys().next();
        if (oldest.done === true) {
          await new Promise<void>((resolve) => this.waiting.push(resolve));
        } else {
          this.closeDescriptor(oldest.value);
        }
      }
      this.count++;
      try {
        const fd = await file.ops.open();
        file.fd = fd;
        return fd;
      } catch (e) {
        this.count--;
        this.wakeOne();
        throw e;
      }
    } finally {
      file.opening = null;
    }
  }

  private releaseUse(file: PooledFile): void {
    file.users--;
    if (file.users > 0) {
      return;
    }
    if (file.released) {
      this.closeDescriptor(file);
    } else if (file.fd !== null) {
      this.idle.set(file, true);
      this.wakeOne();
    }
  }

  private closeDescriptor(file: PooledFile): void {
    this.idle.delete(file);
    const fd = file.fd;
    if (fd === null) {
      return;
    }
    file.fd = null;
    this.count--;
    try {
      file.ops.close(fd);
    } finally {
      this.wakeOne();
    }
  }

  private wakeOne(): void {
    this.waiting.shift()?.();
  }
}
