import { useEffect, useState } from 'react';
import { formatBytes } from '../../core/report/format-units';
import { NETWORK_CHANNEL } from '../../core/hub/remote-ref';
import type { NetworkMessage } from '../../core/hub/remote-ref';

interface Props {
  /** The session of the checkpoint shown (null: a local one, which makes no request). */
  readonly session: string | null;
}

/**
 * The status line's network part for a remote checkpoint: requests made and bytes received by
 * the page and every scan worker for this session (from the network channel).
 */
export function NetworkStatus({ session }: Props) {
  // Latest counts by sender, of the session they belong to (another session's are not shown).
  const [counts, setCounts] = useState<{
    readonly session: string | null;
    readonly bySender: ReadonlyMap<string, NetworkMessage>;
  }>({ session: null, bySender: new Map() });
  useEffect(() => {
    if (session === null) {
      return undefined;
    }
    const channel = new BroadcastChannel(NETWORK_CHANNEL);
    channel.onmessage = (event: MessageEvent<NetworkMessage>) => {
      const m = event.data;
      if (m.session === session) {
        setCounts((prev) => ({
          session,
          bySender: new Map(prev.session === session ? prev.bySender : []).set(m.from, m),
        }));
      }
    };
    return () => channel.close();
  }, [session]);
  if (session === null) {
    return null;
  }
  let requests = 0;
  let bytes = 0;
  for (const m of counts.session === session ? counts.bySender.values() : []) {
    requests += m.requests;
    bytes += m.bytes;
  }
  return (
    <p className="network-status" data-testid="network-status" aria-live="polite">
      Network: {requests.toLocaleString('en-US')} request{requests === 1 ? '' : 's'},{' '}
      {formatBytes(bytes)} received
    </p>
  );
}
