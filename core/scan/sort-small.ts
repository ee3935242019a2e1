/**
 * Sorts a short list of numbers ascending, in place, by insertion: a tiny tensor's few byte values
 * or top bins (at most 64), where `Array.prototype.sort` with a comparator cost more than the
 * tensor's whole count loop.
 */
export function sortSmall(list: number[]): void {
  for (let i = 1; i < list.length; i++) {
    const v = list[i];
    let j = i - 1;
    while (j >= 0 && list[j] > v) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = v;
  }
}
