/**
 * Tensor names and metadata are attacker-chosen strings: before they reach a terminal, C0/C1 control
 * characters (ANSI escape sequences start with ESC, 0x1B) are shown as \u escapes, and bidirectional
 * overrides (which can reorder what the reader sees, "Trojan Source") are shown escaped as well.
 */
const UNSAFE_FOR_TERMINAL =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(
    UNSAFE_FOR_TERMINAL,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export { formatBytes, formatDuration } from '../core/report/format-units';
