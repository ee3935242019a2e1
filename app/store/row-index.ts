/**
 * Where each tensor's row is in the store's row array, by file id and tensor name. One Map per file
 * keyed by the name string the header already holds: a lookup builds no `${fileId}:${name}` key
 * (at a million tensors, building and hashing those keys was seconds of main-thread time).
 */
export class RowIndex {
  private readonly byFile: Map<string, number>[] = [];

  /** Records that the row of `name` in file `fileId` is at `at` (the last one wins on repeats). */
  set(fileId: number, name: string, at: number): void {
    let names = this.byFile[fileId];
    if (names === undefined) {
      names = new Map();
      this.byFile[fileId] = names;
    }
    names.set(name, at);
  }

  /** The row of `name` in file `fileId`, or undefined. */
  get(fileId: number, name: string): number | undefined {
    return this.byFile[fileId]?.get(name);
  }
}
