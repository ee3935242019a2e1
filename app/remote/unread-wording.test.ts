import { describe, expect, it } from 'vitest';
import { REMOTE_FULL_MARKER_TYPE, REMOTE_MARKER_TYPE } from '../../core/hub/remote-ref';
import { unreadByChoice, unscannedWording } from './unread-wording';

const remote = { file: new Blob(['{}'], { type: REMOTE_MARKER_TYPE }) };
const full = { file: new Blob(['{}'], { type: REMOTE_FULL_MARKER_TYPE }) };
const local = { file: new Blob([new Uint8Array(16)]) };

describe('unreadByChoice', () => {
  it('is true only once a default remote scan is over', () => {
    expect(unreadByChoice([local, remote], false)).toBe(true);
    expect(unreadByChoice([remote], true)).toBe(false);
    expect(unreadByChoice([full], false)).toBe(false);
    expect(unreadByChoice([local, { file: null }], false)).toBe(false);
  });

  it('words unscanned cells accordingly', () => {
    expect(unscannedWording(true)).toBe('not read (remote default)');
    expect(unscannedWording(false)).toBe('not scanned yet');
  });
});
