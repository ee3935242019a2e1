/** The base64 alphabet (RFC 4648, standard, with `=` padding). */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Value of each alphabet character by char code; -1 for characters outside it. */
const VALUES = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) {
    values[ALPHABET.charCodeAt(i)] = i;
  }
  return values;
})();

/**
 * Decodes padded standard base64 (`atob` is a web/Node global, not ES2022). Throws on anything
 * else: the only input is the generated module, so a bad character means a broken build.
 */
export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) {
    throw new Error('base64 text length is not a multiple of 4');
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    let quad = 0;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(i + k);
      const v = c === 0x3d && i + k >= text.length - padding ? 0 : c < 128 ? VALUES[c] : -1;
      if (v < 0) {
        throw new Error(`invalid base64 character at ${i + k}`);
      }
      quad = (quad << 6) | v;
    }
    for (let shift = 16; shift >= 0 && at < out.length; shift -= 8) {
      out[at++] = (quad >>> shift) & 0xff;
    }
  }
  return out;
}
