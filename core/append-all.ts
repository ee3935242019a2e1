/**
 * Appends every item to `target`, one push each. `target.push(...items)` passes the items as call
 * arguments, which throws a RangeError (stack overflow) past a few hundred thousand items: a repair
 * plan holds up to a million patches and a large MoE has tens of thousands of findings.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) {
    target.push(item);
  }
}
