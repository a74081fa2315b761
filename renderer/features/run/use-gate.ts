/** The regression gate (SPEC.md i.4): closed means a red banner and a disabled Run button. */
import { useEffect, useState } from 'react';
import type { Gate } from '../../../core/api/commands/diagnostics-commands';
import { useClient, useLive } from '../../app-context';

/** Reads the gate from getGate; re-reads after each run. */
export function useGate(): Gate | null {
  const client = useClient();
  const live = useLive();
  const [gate, setGate] = useState<Gate | null>(null);
  const finishedRun = live.phase === 'finished' ? live.run?.runId : null;
  useEffect(() => {
    let stale = false;
    client.call('getGate', {}).then(
      (r) => !stale && setGate(r.gate),
      () => !stale && setGate(null),
    );
    return () => {
      stale = true;
    };
  }, [client, finishedRun]);
  return gate;
}
