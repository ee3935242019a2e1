import { describe, expect, it } from 'vitest';
import {
  isRemoteMarkerType,
  parseRemoteRef,
  REMOTE_FULL_MARKER_TYPE,
  REMOTE_MARKER_TYPE,
} from './remote-ref';

describe('remote markers', () => {
  it('round-trips a RemoteRef and refuses anything else', () => {
    const ref = {
      url: 'https://h/x',
      size: 10,
      token: null,
      tokenOrigin: 'https://h',
      session: 's1',
    };
    expect(parseRemoteRef(JSON.stringify(ref))).toEqual(ref);
    expect(parseRemoteRef('{"url":"x"}')).toBeNull();
    expect(parseRemoteRef('not json')).toBeNull();
    expect(parseRemoteRef(JSON.stringify({ ...ref, size: 1.5 }))).toBeNull();
    expect(
      isRemoteMarkerType(REMOTE_MARKER_TYPE) && isRemoteMarkerType(REMOTE_FULL_MARKER_TYPE),
    ).toBe(true);
    expect(isRemoteMarkerType('application/octet-stream')).toBe(false);
  });
});
