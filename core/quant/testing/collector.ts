import type { ElementVisitor } from '../decode/decode-types';

/** Test helper: an ElementVisitor that records everything it is told. */
export class Collector implements ElementVisitor {
  readonly values = new Map<number, number>();
  readonly codes = new Map<number, number>();
  readonly zeroedScales: number[] = [];

  element(index: number, code: number, _level: number, value: number): void {
    this.values.set(index, value);
    this.codes.set(index, code);
  }

  zeroed(scaleIndex: number): void {
    this.zeroedScales.push(scaleIndex);
  }
}
