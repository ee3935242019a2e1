import { describe, expect, it } from 'vitest';
import type { PlainError } from '../../../workers/plain-error';
import { countFiles, summaryLine } from './file-summary';

const error: PlainError = {
  code: 'HeaderTooLarge',
  file: 'f.safetensors',
  tensor: null,
  message: 'x',
  detail: 'x',
};
const ok = { error: null, bytesDone: 10, bytesTotal: 10 };
const reading = { error: null, bytesDone: 3, bytesTotal: 10 };
const bad = { error, bytesDone: 0, bytesTotal: 0 };

describe('the file summary line', () => {
  it('reads as the issue writes it', () => {
    const files = [...Array.from({ length: 118 }, () => ok), bad, bad];
    expect(summaryLine(countFiles(files))).toBe('120 files · all read · 2 invalid');
  });

  it('counts files still being read, and a set with nothing valid', () => {
    expect(summaryLine(countFiles([ok, reading, reading, ok]))).toBe('4 files · 2 of 4 read');
    expect(summaryLine(countFiles([bad, bad]))).toBe('2 files · all 2 invalid');
    expect(summaryLine(countFiles([ok]))).toBe('1 file · all read');
  });
});
