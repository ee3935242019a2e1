/**
 * The part of the WebAssembly JS API that the WASM scan kernels use. It exists in every runtime
 * core runs in (browsers, workers, Node) but is not in the ES2022 library, and core must not pull in
 * DOM or Node typings to get it (see core/platform.d.ts). Exports are `unknown`: the kernels check
 * each one at run time.
 */
declare namespace WebAssembly {
  /** A compiled module: opaque here, only passed to `Instance`. */
  type Module = object;
  const Module: new (bytes: Uint8Array) => Module;
  class Instance {
    constructor(module: Module, imports?: object);
    readonly exports: Readonly<Record<string, unknown>>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  class Global {
    readonly value: unknown;
  }
}
