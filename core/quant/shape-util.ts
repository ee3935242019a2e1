/** Product of dimensions (1 for a scalar shape). */
export function product(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function ceilDiv(n: number, d: number): number {
  return Math.ceil(n / d);
}

/** `[2048, 32]` as text, for messages. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The shape without size-1 dimensions, so [R, 1] and [R] compare equal. */
export function squeeze(shape: readonly number[]): number[] {
  return shape.filter((d) => d !== 1);
}
