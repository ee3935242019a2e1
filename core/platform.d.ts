/**
 * The two web-platform globals core relies on. They exist in every runtime core runs in (browsers,
 * workers, Node >= 11) but are not part of the ES2022 library, and core must not pull in DOM or
 * Node typings to get them.
 */
interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
declare class TextDecoder {
  constructor(label?: string, options?: TextDecoderOptions);
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
