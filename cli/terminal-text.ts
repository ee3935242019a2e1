import { displayName, escapedText } from '../core/report/display-name';

/**
 * Tensor names and metadata are attacker-chosen strings: before they reach a terminal, C0/C1 control
 * characters (ANSI escape sequences start with ESC, 0x1B), bidirectional controls (which can reorder
 * what the reader sees, "Trojan Source"), zero-width characters and the BOM are shown as \u escapes
 * (core/report/display-name.ts, shared with the app and the Markdown export).
 */
export function terminalSafe(text: string): string {
  return escapedText(text);
}

/** A name (tensor, module, file) for the text report: escaped, and shortened in the middle past 256 characters. */
export function terminalName(name: string): string {
  return displayName(name);
}

export { formatBytes, formatDuration } from '../core/report/format-units';
