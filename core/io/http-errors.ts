import { CheckpointError } from '../format/errors';
import { redactUrl } from './url-parts';

/** Why a remote read failed; each is a distinct, documented outcome (see `RemoteReadError`). */
export type RemoteFailure =
  /** The validator (ETag / Last-Modified) or size changed between two responses of one scan. */
  | 'changed'
  /** The server answered a Range request with the whole file (`200`) instead of `206`. */
  | 'no-range'
  /** `206` with a `Content-Range` other than the bytes asked for, or a body of the wrong length. */
  | 'bad-range'
  /** 401 / 403: a gated or private file and no (or a refused) token. */
  | 'unauthorized'
  /** 404 / 410. */
  | 'not-found'
  /** Any other status that is not retried. */
  | 'status'
  /** 429 / 5xx / connection failures still failing after the bounded retries. */
  | 'gave-up'
  /** More redirects than MAX_REDIRECTS, or a redirect without a usable `Location`. */
  | 'redirect'
  /** A response that breaks the protocol in another way (no size, a listing that is not JSON). */
  | 'protocol';

/**
 * A failed remote read, as a CheckpointError (`ReadFailed`) naming the file and the URL without
 * its query string (signed CDN URLs carry credentials there) and never the token.
 */
export class RemoteReadError extends CheckpointError {
  readonly failure: RemoteFailure;
  readonly url: string;

  constructor(failure: RemoteFailure, file: string, url: string, detail: string) {
    const shown = redactUrl(url);
    super('ReadFailed', file, `${detail} (${shown})`);
    this.name = 'RemoteReadError';
    this.failure = failure;
    this.url = shown;
  }
}

export function isRemoteReadError(value: unknown): value is RemoteReadError {
  return value instanceof RemoteReadError;
}
